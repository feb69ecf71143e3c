//===- WindDataset.cpp - the Wind data set (MS_winds.dat) -----------------===//
//
// The whole file is read into one buffer and parsed with std::from_chars
// (locale-independent, no per-value stream). Data row r (0-based) is line
// r + 1 of the file. Normalisation statistics are the per-station mean and
// population standard deviation over every row whose index is outside
// [kTestBegin, kTestEnd), so no value of a test target row enters them (see
// docs/data.md).
//
//===----------------------------------------------------------------------===//

#include "runtime/data/Dataset.h"

#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <stdexcept>
#include <string_view>
#include <system_error>

namespace hpt::rt {

struct WindDataset::Impl {
  int64_t rows = 0;
  std::vector<float> raw;        ///< rows x kStations, m/s as read
  std::vector<float> normalised; ///< rows x kStations, (raw - mean) / stdev
  std::vector<double> mean;      ///< per station, over non-test rows
  std::vector<double> stdev;     ///< per station, population, non-test rows
  std::vector<int64_t> targets;  ///< target row h of each sample, ascending
  WindTarget target = WindTarget::Level;
};

namespace {

constexpr int64_t kStations = WindDataset::kStations;

bool isTestRow(int64_t row) {
  return row >= WindDataset::kTestBegin && row < WindDataset::kTestEnd;
}

std::string readFile(const std::string &path) {
  std::FILE *file = std::fopen(path.c_str(), "rb");
  if (!file)
    throw DataError("cannot open data file '" + path +
                    "': " + std::strerror(errno));
  std::string buffer;
  char chunk[1 << 16];
  size_t got;
  while ((got = std::fread(chunk, 1, sizeof chunk, file)) > 0)
    buffer.append(chunk, got);
  const bool failed = std::ferror(file) != 0;
  const int err = errno;
  std::fclose(file);
  if (failed)
    throw DataError("cannot read data file '" + path +
                    "': " + std::strerror(err));
  return buffer;
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t'))
    text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t'))
    text.remove_suffix(1);
  return text;
}

std::string quoted(std::string_view text) {
  constexpr size_t kMax = 40;
  if (text.size() > kMax)
    return "'" + std::string(text.substr(0, kMax)) + "...'";
  return "'" + std::string(text) + "'";
}

[[noreturn]] void fail(const std::string &path, int64_t line,
                       const std::string &what) {
  throw DataError(path + ":" + std::to_string(line) + ": " + what);
}

/// Parses one comma-separated row of kStations values into `out`.
void parseRow(const std::string &path, int64_t line, std::string_view text,
              float *out) {
  if (trim(text).empty())
    fail(path, line,
         "empty line (expected " + std::to_string(kStations) +
             " comma-separated values)");
  int64_t fields = 1;
  for (char c : text)
    fields += c == ',';
  if (fields != kStations)
    fail(path, line,
         "expected " + std::to_string(kStations) + " values, found " +
             std::to_string(fields));

  size_t start = 0;
  for (int64_t f = 0; f < kStations; ++f) {
    size_t comma = text.find(',', start);
    if (comma == std::string_view::npos)
      comma = text.size();
    const std::string_view field = trim(text.substr(start, comma - start));
    start = comma + 1;
    const std::string fieldName = "field " + std::to_string(f + 1);
    if (field.empty())
      fail(path, line, fieldName + " is empty");
    std::string_view digits = field;
    if (digits.size() > 1 && digits.front() == '+' && digits[1] != '-' &&
        digits[1] != '+')
      digits.remove_prefix(1); // from_chars does not take a leading '+'
    float value = 0.0f;
    const auto [ptr, ec] =
        std::from_chars(digits.data(), digits.data() + digits.size(), value);
    if (ec == std::errc::result_out_of_range)
      fail(path, line,
           fieldName + " is not a finite number: " + quoted(field) +
               " (out of float range)");
    if (ec != std::errc() || ptr != digits.data() + digits.size())
      fail(path, line, fieldName + " is not a number: " + quoted(field));
    if (!std::isfinite(value))
      fail(path, line,
           fieldName + " is not a finite number: " + quoted(field));
    out[f] = value;
  }
}

} // namespace

WindDataset::WindDataset(const std::string &path, Split split, WindTarget target)
    : WindDataset(readFile(path), path, split, target) {}

WindDataset WindDataset::fromText(std::string_view text, const std::string &origin,
                                  Split split, WindTarget target) {
  return WindDataset(text, origin, split, target);
}

WindDataset::WindDataset(std::string_view all, const std::string &path, Split split,
                         WindTarget target) {
  auto data = std::make_shared<Impl>();
  data->target = target;

  // One pass over the lines; a single '\n' ending the last line is allowed,
  // any other empty line is an error. A '\r' before '\n' is accepted.
  data->raw.reserve(static_cast<size_t>(all.size() / (kStations * 4) + 1) *
                    kStations);
  int64_t line = 0;
  size_t pos = 0;
  while (pos < all.size()) {
    ++line;
    size_t end = all.find('\n', pos);
    const size_t next = end == std::string_view::npos ? all.size() : end + 1;
    if (end == std::string_view::npos)
      end = all.size();
    std::string_view text = all.substr(pos, end - pos);
    if (!text.empty() && text.back() == '\r')
      text.remove_suffix(1);
    data->raw.resize(data->raw.size() + kStations);
    parseRow(path, line, text, data->raw.data() + data->raw.size() - kStations);
    pos = next;
  }
  data->rows = line;
  if (data->rows < kTestEnd)
    fail(path, data->rows + 1,
         "end of file after " + std::to_string(data->rows) +
             " rows; the Wind split needs at least " +
             std::to_string(kTestEnd) + " (test targets are rows " +
             std::to_string(kTestBegin) + ".." + std::to_string(kTestEnd - 1) +
             ")");

  // Per-station statistics over the rows outside the test range (two passes,
  // double accumulation).
  data->mean.assign(kStations, 0.0);
  data->stdev.assign(kStations, 0.0);
  int64_t counted = 0;
  for (int64_t r = 0; r < data->rows; ++r) {
    if (isTestRow(r))
      continue;
    ++counted;
    const float *row = &data->raw[r * kStations];
    for (int64_t s = 0; s < kStations; ++s)
      data->mean[s] += row[s];
  }
  for (int64_t s = 0; s < kStations; ++s)
    data->mean[s] /= static_cast<double>(counted);
  for (int64_t r = 0; r < data->rows; ++r) {
    if (isTestRow(r))
      continue;
    const float *row = &data->raw[r * kStations];
    for (int64_t s = 0; s < kStations; ++s) {
      const double d = row[s] - data->mean[s];
      data->stdev[s] += d * d;
    }
  }
  for (int64_t s = 0; s < kStations; ++s) {
    data->stdev[s] = std::sqrt(data->stdev[s] / static_cast<double>(counted));
    if (!(data->stdev[s] > 0.0))
      throw DataError(path + ": station " + std::to_string(s + 1) +
                      " (field " + std::to_string(s + 1) +
                      ") is constant over the training rows; cannot "
                      "normalise it");
  }

  data->normalised.resize(data->raw.size());
  for (int64_t r = 0; r < data->rows; ++r)
    for (int64_t s = 0; s < kStations; ++s) {
      const size_t i = static_cast<size_t>(r * kStations + s);
      data->normalised[i] = static_cast<float>(
          (data->raw[i] - data->mean[s]) / data->stdev[s]);
    }

  for (int64_t h = kHistory; h < data->rows; ++h)
    if (isTestRow(h) == (split == Split::Test))
      data->targets.push_back(h);

  impl = std::move(data);
}

int64_t WindDataset::size() const {
  return static_cast<int64_t>(impl->targets.size());
}

void WindDataset::sample(int64_t index, float *input, float *target) const {
  if (index < 0 || index >= size())
    throw std::out_of_range("WindDataset::sample: index " +
                            std::to_string(index) + " not in [0, " +
                            std::to_string(size()) + ")");
  const int64_t h = impl->targets[static_cast<size_t>(index)];
  const float *rows = impl->normalised.data();
  // Rows h-12 .. h-1 are contiguous in the file order: (hour, station).
  std::memcpy(input, rows + (h - kHistory) * kStations,
              sizeof(float) * kHistory * kStations);
  std::memcpy(target, rows + h * kStations, sizeof(float) * kStations);
  if (impl->target == WindTarget::Change)
    for (int64_t s = 0; s < kStations; ++s)
      target[s] -= rows[(h - 1) * kStations + s];
}

void WindDataset::toDataUnits(int64_t index, float *values) const {
  const int64_t h = impl->targets.at(static_cast<size_t>(index));
  const float *last = &impl->raw[(h - 1) * kStations];
  for (int64_t s = 0; s < kStations; ++s) {
    double base = impl->target == WindTarget::Change ? last[s] : impl->mean[s];
    values[s] = static_cast<float>(values[s] * impl->stdev[s] + base);
  }
}

std::vector<Baseline> WindDataset::baselines(const std::vector<int64_t> &samples) const {
  double persistence = 0.0, meanError = 0.0;
  std::vector<int64_t> hours;
  for (int64_t i : samples)
    hours.push_back(impl->targets.at(size_t(i)));
  for (int64_t h : samples.empty() ? impl->targets : hours) {
    const float *row = &impl->raw[h * kStations];
    const float *previous = row - kStations;
    for (int64_t s = 0; s < kStations; ++s) {
      const double p = static_cast<double>(row[s]) - previous[s];
      const double m = static_cast<double>(row[s]) - impl->mean[s];
      persistence += p * p;
      meanError += m * m;
    }
  }
  const double n = static_cast<double>((samples.empty() ? impl->targets.size() : hours.size()) *
                                       kStations);
  return {{"persistence", std::sqrt(persistence / n)},
          {"training mean", std::sqrt(meanError / n)}};
}

} // namespace hpt::rt
