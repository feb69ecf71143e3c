//===- Crossbar.cpp - a frozen weight programmed into ReRAM crossbars -----===//

#include "runtime/pim/Crossbar.h"

#include "runtime/core/Archive.h"
#include "runtime/core/Error.h"

#include <cblas.h>

#include <algorithm>
#include <cmath>

namespace hpt::rt::pim {

/// SplitMix64 with Box-Muller normals: the same draws on every machine.
class Draws {
public:
  explicit Draws(uint64_t seed) : state(seed) {}
  uint64_t position() const { return state; }
  double uniform() { return double(next() >> 11) * 0x1.0p-53; }
  double normal() {
    if (spare) {
      spare = false;
      return saved;
    }
    double u1 = uniform(), u2 = uniform();
    if (u1 < 1e-300)
      u1 = 1e-300;
    const double radius = std::sqrt(-2 * std::log(u1)), angle = 2 * M_PI * u2;
    saved = radius * std::sin(angle);
    spare = true;
    return radius * std::cos(angle);
  }

private:
  uint64_t next() {
    uint64_t z = (state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
  }
  uint64_t state;
  bool spare = false;
  double saved = 0;
};

namespace {

/// AIHWKit's PCM preset (reference energy.md; g_max = 25 µS, t0 = 20 s):
/// programming noise σ in µS at normalised target ĝ.
double pcmProgrammingSigma_uS(double g) { return 0.26348 + 1.9650 * g - 1.1731 * g * g; }
double pcmDriftMean(double g) {
  return std::clamp(-0.0155 * std::log(g) + 0.0244, 0.049, 0.1);
}
double pcmDriftSigma(double g) {
  return std::clamp(-0.0125 * std::log(g) - 0.0059, 0.008, 0.045);
}
constexpr double kPcmGmax_uS = 25, kPcmT0_s = 20;

int64_t ceilDiv(int64_t a, int64_t b) { return (a + b - 1) / b; }

} // namespace

ProgrammedWeight::ProgrammedWeight(const hw::pim::ReramModel &model, int64_t rowCount,
                                   int64_t colCount, const Nonidealities &settings,
                                   const std::string &what)
    : reram(model), geometry(hw::pim::geometryOf(model)), noise(settings), rows(rowCount),
      cols(colCount) {
  hw::Expected<hw::pim::WeightTiling> tiled = hw::pim::tileWeight(geometry, rows, cols, what);
  if (!tiled)
    throw Error(tiled.error());
  tiles = *tiled;
  if (!(noise.adcRange > 0 && noise.adcRange <= 1))
    throw Error(what + ": the ADC range must be a fraction of full scale in (0, 1]");
  // Erased cells: every one at the off state, some stuck for good.
  const size_t cells = size_t(tiles.slices * tiles.polarity * rows * cols);
  levels.assign(cells, 0.0f);
  targets.assign(cells, 0);
  stuck.assign(cells, 0);
  events.assign(cells, 0);
  cellPulses.assign(cells, 0);
  wq.assign(size_t(rows * cols), 0);
  colSums.assign(size_t(cols), 0);
  rowSums.assign(size_t(rows), 0);
  writeState = noise.seed;
  readState = noise.seed ^ 0x5eadbeefull;
  Draws draws(writeState);
  const double range = double((int64_t(1) << geometry.cellBits) - 1);
  if (noise.stuckCells)
    for (size_t cell = 0; cell < cells; ++cell) {
      const double u = draws.uniform();
      stuck[cell] = u < reram.stuckOff.value                          ? kStuckOff
                    : u < reram.stuckOff.value + reram.stuckOn.value ? kStuckOn
                                                                      : 0;
      levels[cell] = stuck[cell] == kStuckOn ? float(range) : 0.0f;
    }
  writeState = draws.position();
  const int64_t longest = std::max(std::min(rows, geometry.rows), std::min(cols, geometry.cols));
  isExact = !noise.any() && noise.adcRange == 1 &&
            geometry.adcBits >= geometry.losslessAdcBits(longest);
}

ProgrammedWeight::ProgrammedWeight(const hw::pim::ReramModel &model, const float *w,
                                   int64_t rowCount, int64_t colCount,
                                   const Nonidealities &settings, const std::string &what)
    : ProgrammedWeight(model, rowCount, colCount, settings, what) {
  write(w, UINT64_MAX, false, what);
}

WriteResult ProgrammedWeight::write(const float *w, uint64_t endurance, bool refuseBeyond,
                                    const std::string &what) {
  // Weights: symmetric per tensor.
  const int64_t top = (int64_t(1) << (geometry.weightBits - 1)) - 1;
  float largest = 0;
  for (int64_t i = 0; i < rows * cols; ++i)
    largest = std::max(largest, std::abs(w[i]));
  const float scale = largest > 0 ? largest / float(top) : 1.0f;
  std::vector<int32_t> next(size_t(rows * cols));
  for (int64_t i = 0; i < rows * cols; ++i)
    next[i] = int32_t(std::clamp<int64_t>(std::lround(w[i] / scale), -top, top));

  // The level each cell must hold: a slice of each stored value.
  const int64_t cellTop = (int64_t(1) << geometry.cellBits) - 1;
  const int64_t offset = int64_t(1) << (geometry.weightBits - 1);
  std::vector<uint8_t> wanted(targets.size());
  WriteResult result;
  for (int64_t s = 0; s < tiles.slices; ++s)
    for (int64_t p = 0; p < tiles.polarity; ++p)
      for (int64_t k = 0; k < rows; ++k)
        for (int64_t n = 0; n < cols; ++n) {
          const int64_t q = next[k * cols + n];
          const int64_t stored =
              geometry.differential ? (p == 0 ? std::max<int64_t>(q, 0) : std::max<int64_t>(-q, 0))
                                    : q + offset;
          const size_t cell = cellIndex(s, p, k, n);
          wanted[cell] = uint8_t((stored >> (s * geometry.cellBits)) & cellTop);
          if (wanted[cell] != targets[cell] && events[cell] + 1 > endurance)
            ++result.beyondEndurance;
        }
  if (result.beyondEndurance > 0 && refuseBeyond)
    throw Error(what + ": writing it again would take " + std::to_string(result.beyondEndurance) +
                " cells past their endurance of " + std::to_string(endurance) +
                " programming events (reram.endurance)");

  // Pulses: NeuroSim's model from each cell's level to its new one. Rows of
  // a crossbar are written one after another, its cells in a row at once.
  std::vector<int64_t> pulseTable(size_t((cellTop + 1) * (cellTop + 1)));
  std::vector<double> energyTable(pulseTable.size());
  for (int64_t a = 0; a <= cellTop; ++a)
    for (int64_t b = 0; b <= cellTop; ++b) {
      pulseTable[a * (cellTop + 1) + b] = hw::pim::writePulses(reram, a, b);
      energyTable[a * (cellTop + 1) + b] = hw::pim::writeEnergy_pJ(reram, a, b);
    }
  Draws draws(writeState);
  const double range = double(cellTop);
  double slowestCrossbar = 0;
  for (int64_t s = 0; s < tiles.slices; ++s)
    for (int64_t p = 0; p < tiles.polarity; ++p)
      for (int64_t rowBlock = 0; rowBlock < tiles.rowBlocks; ++rowBlock)
        for (int64_t colBlock = 0; colBlock < tiles.colBlocks; ++colBlock) {
          double crossbarPulses = 0;
          for (int64_t k = rowBlock * geometry.rows;
               k < std::min(rows, (rowBlock + 1) * geometry.rows); ++k) {
            int64_t rowPulses = 0;
            for (int64_t n = colBlock * geometry.cols;
                 n < std::min(cols, (colBlock + 1) * geometry.cols); ++n) {
              const size_t cell = cellIndex(s, p, k, n);
              const int64_t from = targets[cell], to = wanted[cell];
              if (from == to)
                continue;
              const int64_t pulses = pulseTable[from * (cellTop + 1) + to];
              rowPulses = std::max(rowPulses, pulses);
              result.pulses += pulses;
              result.energy_pJ += energyTable[from * (cellTop + 1) + to];
              ++result.cells;
              ++events[cell];
              cellPulses[cell] += uint64_t(pulses);
              targets[cell] = uint8_t(to);
              levels[cell] = float(programmedValue(cell, to, range, draws));
            }
            crossbarPulses += double(rowPulses);
          }
          slowestCrossbar = std::max(slowestCrossbar, crossbarPulses);
        }
  writeState = draws.position();
  result.latency_ns = slowestCrossbar * reram.writePulseWidth.value;

  wq = std::move(next);
  scaleW = scale;
  std::fill(colSums.begin(), colSums.end(), 0);
  std::fill(rowSums.begin(), rowSums.end(), 0);
  for (int64_t k = 0; k < rows; ++k)
    for (int64_t n = 0; n < cols; ++n) {
      colSums[n] += wq[k * cols + n];
      rowSums[k] += wq[k * cols + n];
    }
  writePulses += result.pulses;
  writeEnergy += result.energy_pJ;
  elapsed = 0; // the drift clock starts at programming
  forwardBlocks.clear();
  transposedBlocks.clear();
  return result;
}

double ProgrammedWeight::programmedValue(size_t cell, int64_t level, double range,
                                         Draws &draws) {
  if (stuck[cell])
    return stuck[cell] == kStuckOn ? range : 0;
  double programmed = double(level);
  if (noise.programmingNoise) {
    const double sigma = noise.pcmPreset
                             ? pcmProgrammingSigma_uS(double(level) / range) / kPcmGmax_uS
                             : reram.programmingNoise.value;
    programmed = std::clamp(programmed + draws.normal() * sigma * range, 0.0, range);
  }
  if (noise.drift && noise.pcmPreset) {
    if (driftNu.empty())
      driftNu.assign(levels.size(), 0.0f);
    const double g = std::max(double(level) / range, 1e-12);
    driftNu[cell] = float(std::abs(pcmDriftMean(g) + pcmDriftSigma(g) * draws.normal()));
  }
  return programmed;
}

size_t ProgrammedWeight::cellIndex(int64_t slice, int64_t polarity, int64_t row,
                                   int64_t col) const {
  return size_t(((slice * tiles.polarity + polarity) * rows + row) * cols + col);
}

double ProgrammedWeight::programmedLevel(int64_t slice, int64_t polarity, int64_t row,
                                         int64_t col) const {
  return levels[cellIndex(slice, polarity, row, col)];
}

ProgrammedWeight::AdcScale ProgrammedWeight::adcScale(int64_t lines) const {
  const double fullScale = double(lines) * double((int64_t(1) << geometry.cellBits) - 1) *
                           double((int64_t(1) << geometry.dacBits) - 1);
  const double range = noise.adcRange * fullScale;
  int64_t bits = 0;
  while (std::pow(2.0, double(bits)) < range + 1)
    ++bits;
  AdcScale scale;
  scale.step = std::pow(2.0, double(std::max<int64_t>(0, bits - geometry.adcBits)));
  // The range, rounded up to a whole step, within the ADC's codes.
  scale.topCode = std::min(std::pow(2.0, double(geometry.adcBits)) - 1,
                           std::ceil(range / scale.step));
  return scale;
}

double ProgrammedWeight::adcErrorBound(bool transposed) const {
  const int64_t inLen = transposed ? cols : rows;
  const int64_t blockLines = transposed ? geometry.cols : geometry.rows;
  double cycles = 0, slices = 0;
  for (int64_t c = 0; c < geometry.inputCycles(); ++c)
    cycles += std::pow(2.0, double(c * geometry.dacBits));
  for (int64_t s = 0; s < tiles.slices; ++s)
    slices += std::pow(2.0, double(s * geometry.cellBits));
  double bound = 0;
  for (int64_t start = 0; start < inLen; start += blockLines) {
    const int64_t lines = std::min(blockLines, inLen - start);
    const AdcScale adc = adcScale(lines);
    const double fullScale = double(lines) * double((int64_t(1) << geometry.cellBits) - 1) *
                             double((int64_t(1) << geometry.dacBits) - 1);
    // Whole sums round to the nearest step; those above the top code clip.
    const double rounding = adc.step > 1 ? adc.step / 2 : 0;
    const double worst = std::max(rounding, fullScale - adc.topCode * adc.step);
    bound += worst * cycles * slices * double(tiles.polarity);
  }
  return bound;
}

double ProgrammedWeight::driftFactor(size_t cell) const {
  if (!noise.drift)
    return 1;
  const double t0 = noise.pcmPreset ? kPcmT0_s : reram.driftReference.value;
  if (elapsed <= t0)
    return 1;
  const double nu = driftNu.empty() ? reram.driftExponent.value : double(driftNu[cell]);
  // The conductance above the off state decays (in level units).
  return std::pow(elapsed / t0, -nu);
}

void ProgrammedWeight::integerGemm(const int32_t *q, int64_t m, bool transposed,
                                   double *out) const {
  // Integers in float: exact while every partial sum stays below 2^24.
  const int64_t inLen = transposed ? cols : rows, outLen = transposed ? rows : cols;
  const double biggest = double((int64_t(1) << (geometry.inputBits - 1)) - 1) *
                         double((int64_t(1) << (geometry.weightBits - 1)) - 1);
  const int64_t chunk = std::max<int64_t>(1, int64_t((16777216.0 - 1) / std::max(biggest, 1.0)));
  std::vector<float> a(size_t(m * inLen)), b(wq.begin(), wq.end()), part(size_t(m * outLen));
  for (size_t i = 0; i < a.size(); ++i)
    a[i] = float(q[i]);
  std::fill(out, out + m * outLen, 0.0);
  for (int64_t start = 0; start < inLen; start += chunk) {
    const int64_t len = std::min(chunk, inLen - start);
    // Forward: out = q·W (W is [rows × cols]); transposed: out = q·Wᵀ.
    if (!transposed)
      cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, int(m), int(outLen), int(len), 1.0f,
                  a.data() + start, int(inLen), b.data() + start * cols, int(cols), 0.0f,
                  part.data(), int(outLen));
    else
      cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, int(m), int(outLen), int(len), 1.0f,
                  a.data() + start, int(inLen), b.data() + start, int(cols), 0.0f, part.data(),
                  int(outLen));
    for (size_t i = 0; i < part.size(); ++i)
      out[i] += double(part[i]);
  }
}

int64_t ProgrammedWeight::levelFractionBits(double fullScale) const {
  constexpr double kExactInFloat = 16777216.0; // 2^24
  if (!noise.programmingNoise && !noise.drift)
    return fullScale < kExactInFloat ? 0 : -1;
  int64_t bits = 0;
  while (fullScale * std::pow(2.0, double(bits + 1)) < kExactInFloat)
    ++bits;
  return bits >= kMinLevelFractionBits ? bits : -1;
}

const std::vector<float> &ProgrammedWeight::blockCells(bool transposed, int64_t start,
                                                      int64_t lines, int64_t fraction) const {
  // The block's cells of every slice and crossbar side by side, as
  // [lines × (slices·polarity·outLen)]: rows of W, or its columns when read
  // transposed. One product then gives every column sum of every cycle.
  // Without drift they change only when written, so they are kept.
  const int64_t outLen = transposed ? rows : cols;
  const int64_t stack = tiles.slices * tiles.polarity, width = stack * outLen;
  const int64_t blockLines = transposed ? geometry.cols : geometry.rows;
  std::vector<std::vector<float>> &cache = transposed ? transposedBlocks : forwardBlocks;
  const size_t block = size_t(start / blockLines);
  if (cache.size() <= block)
    cache.resize(block + 1);
  std::vector<float> &cells = cache[block];
  if (!cells.empty() && !noise.drift)
    return cells;
  cells.assign(size_t(lines * width), 0.0f);
  const double units = fraction > 0 ? std::pow(2.0, double(fraction)) : 1;
  for (int64_t s = 0; s < tiles.slices; ++s)
    for (int64_t p = 0; p < tiles.polarity; ++p)
      for (int64_t i = 0; i < lines; ++i)
        for (int64_t o = 0; o < outLen; ++o) {
          const size_t cell = transposed ? cellIndex(s, p, o, start + i)
                                         : cellIndex(s, p, start + i, o);
          const double level = double(levels[cell]) * driftFactor(cell);
          cells[i * width + (s * tiles.polarity + p) * outLen + o] =
              float(fraction > 0 ? std::nearbyint(level * units) : level);
        }
  return cells;
}

void ProgrammedWeight::bitSerial(const int32_t *q, int64_t m, bool transposed, double *out,
                                 ReadStats *stats) const {
  const int64_t inLen = transposed ? cols : rows, outLen = transposed ? rows : cols;
  const int64_t blockLines = transposed ? geometry.cols : geometry.rows;
  const int64_t d = geometry.dacBits, c = geometry.cellBits;
  const int64_t inputOffset = int64_t(1) << (geometry.inputBits - 1);
  const int64_t chunkMask = (int64_t(1) << d) - 1;
  const double cellRange = double((int64_t(1) << c) - 1);
  std::fill(out, out + m * outLen, 0.0);
  // Read noise is new on every read: the stream goes on from the last one.
  Draws draws(readState);
  const int64_t cycles = geometry.inputCycles();
  std::vector<float> drives, exactSums;
  std::vector<double> sums;
  std::vector<double> driveSquares(size_t(cycles * m));
  for (int64_t start = 0; start < inLen; start += blockLines) {
    const int64_t lines = std::min(blockLines, inLen - start);
    const AdcScale adc = adcScale(lines);
    // The DAC's levels for every input cycle: `d` bits of the offset-binary
    // inputs, least significant first.
    drives.assign(size_t(cycles * m * lines), 0.0f);
    std::fill(driveSquares.begin(), driveSquares.end(), 0.0);
    for (int64_t cycle = 0; cycle < cycles; ++cycle)
      for (int64_t r = 0; r < m; ++r)
        for (int64_t i = 0; i < lines; ++i) {
          const int64_t u = q[r * inLen + start + i] + inputOffset;
          const float v = float((u >> (cycle * d)) & chunkMask);
          drives[(cycle * m + r) * lines + i] = v;
          driveSquares[cycle * m + r] += double(v) * double(v);
        }
    const int64_t stack = tiles.slices * tiles.polarity, width = stack * outLen;
    const double fullScale = double(lines) * cellRange * double(chunkMask);
    const int64_t fraction = levelFractionBits(fullScale);
    const std::vector<float> &cells = blockCells(transposed, start, lines, fraction);
    sums.assign(size_t(cycles * m * width), 0.0);
    if (fraction >= 0) {
      // Whole drives times levels in units of 2^-fraction: every sum is an
      // integer below 2^24, exact in float whatever the BLAS kernel.
      exactSums.assign(sums.size(), 0.0f);
      cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, int(cycles * m), int(width),
                  int(lines), 1.0f, drives.data(), int(lines), cells.data(), int(width), 0.0f,
                  exactSums.data(), int(width));
      const double unit = std::pow(2.0, -double(fraction));
      for (size_t i = 0; i < sums.size(); ++i)
        sums[i] = double(exactSums[i]) * unit;
    } else {
      // Levels with noise are not integers: sum in double, in one order, the
      // same on every machine.
      for (int64_t row = 0; row < cycles * m; ++row) {
        const float *drive = drives.data() + row * lines;
        double *sum = sums.data() + row * width;
        for (int64_t i = 0; i < lines; ++i) {
          if (drive[i] == 0)
            continue;
          const double v = drive[i];
          const float *cell = cells.data() + i * width;
          for (int64_t o = 0; o < width; ++o)
            sum[o] += v * double(cell[o]);
        }
      }
    }
    for (int64_t cycle = 0; cycle < cycles; ++cycle)
      for (int64_t r = 0; r < m; ++r) {
        const double readSigma =
            noise.readNoise
                ? reram.readNoise.value * cellRange * std::sqrt(driveSquares[cycle * m + r])
                : 0;
        const double *rowSums = sums.data() + (cycle * m + r) * width;
        for (int64_t s = 0; s < tiles.slices; ++s)
          for (int64_t p = 0; p < tiles.polarity; ++p) {
            const double weight = std::pow(2.0, double(s * c + cycle * d)) * (p == 0 ? 1 : -1);
            const double *column = rowSums + (s * tiles.polarity + p) * outLen;
            double *result = out + r * outLen;
            const double inverse = 1 / adc.step, scale = weight * adc.step;
            int64_t clipped = 0;
            if (noise.readNoise) {
              for (int64_t o = 0; o < outLen; ++o) {
                const double sum = column[o] + draws.normal() * readSigma;
                const double code = std::floor(std::max(sum, 0.0) * inverse + 0.5);
                clipped += code > adc.topCode;
                result[o] += scale * std::min(code, adc.topCode);
              }
            } else {
              // Sums are whole and not negative: truncation rounds them.
              for (int64_t o = 0; o < outLen; ++o) {
                const double code = double(int64_t(column[o] * inverse + 0.5));
                clipped += code > adc.topCode;
                result[o] += scale * std::min(code, adc.topCode);
              }
            }
            if (stats)
              stats->clipped += clipped;
          }
      }
    if (stats)
      stats->conversions += cycles * m * width;
  }
  readState = draws.position();
  // Offsets: the inputs' (always) and the weights' (offset-binary cells).
  const std::vector<int64_t> &sumsOfW = transposed ? rowSums : colSums;
  for (int64_t r = 0; r < m; ++r) {
    double inputs = 0;
    for (int64_t i = 0; i < inLen; ++i)
      inputs += double(q[r * inLen + i] + inputOffset);
    for (int64_t o = 0; o < outLen; ++o) {
      double &y = out[r * outLen + o];
      if (!geometry.differential)
        y -= double(int64_t(1) << (geometry.weightBits - 1)) * inputs;
      y -= double(inputOffset) * double(sumsOfW[o]);
    }
  }
}

void ProgrammedWeight::integerProduct(const int32_t *q, int64_t m, bool transposed, double *out,
                                      ReadStats *stats) const {
  if (isExact && !noise.bitSerialOnly) {
    integerGemm(q, m, transposed, out);
    if (stats) {
      const int64_t inLen = transposed ? cols : rows, outLen = transposed ? rows : cols;
      const int64_t blockLines = transposed ? geometry.cols : geometry.rows;
      stats->conversions += m * ceilDiv(inLen, blockLines) * outLen * geometry.inputCycles() *
                            tiles.slices * tiles.polarity;
    }
    return;
  }
  bitSerial(q, m, transposed, out, stats);
}

namespace {

/// Signed per-row quantisation of x [m × len]: q and the row scales.
void quantiseRows(const float *x, int64_t m, int64_t len, int64_t bits, std::vector<int32_t> &q,
                  std::vector<float> &scale) {
  const int64_t top = (int64_t(1) << (bits - 1)) - 1;
  q.resize(size_t(m * len));
  scale.resize(static_cast<size_t>(m));
  for (int64_t r = 0; r < m; ++r) {
    float largest = 0;
    for (int64_t i = 0; i < len; ++i)
      largest = std::max(largest, std::abs(x[r * len + i]));
    scale[r] = largest > 0 ? largest / float(top) : 0.0f;
    for (int64_t i = 0; i < len; ++i)
      q[r * len + i] =
          largest > 0
              ? int32_t(std::clamp<int64_t>(std::lround(x[r * len + i] / scale[r]), -top, top))
              : 0;
  }
}

} // namespace

void ProgrammedWeight::read(const float *x, int64_t m, bool transposed, float *y,
                            ReadStats *stats) const {
  const int64_t inLen = transposed ? cols : rows, outLen = transposed ? rows : cols;
  std::vector<int32_t> q;
  std::vector<float> scale;
  quantiseRows(x, m, inLen, geometry.inputBits, q, scale);
  std::vector<double> out(size_t(m * outLen));
  integerProduct(q.data(), m, transposed, out.data(), stats);
  for (int64_t r = 0; r < m; ++r)
    for (int64_t o = 0; o < outLen; ++o)
      y[r * outLen + o] = float(double(scale[r]) * double(scaleW) * out[r * outLen + o]);
}

void ProgrammedWeight::forward(const float *x, int64_t m, float *y, ReadStats *stats) const {
  read(x, m, false, y, stats);
}

void ProgrammedWeight::transposed(const float *delta, int64_t m, float *dx,
                                  ReadStats *stats) const {
  read(delta, m, true, dx, stats);
}

namespace {

/// Integers up to 2^48 as two floats (24 bits each, exact).
void addSplit(Archive &archive, const std::string &name, const std::vector<uint64_t> &values) {
  std::vector<float> low(values.size()), high(values.size());
  for (size_t i = 0; i < values.size(); ++i) {
    low[i] = float(values[i] & 0xffffff);
    high[i] = float(values[i] >> 24);
  }
  archive.add(name + ".low", {int64_t(values.size())}, low.data());
  archive.add(name + ".high", {int64_t(values.size())}, high.data());
}

const ArchiveTensor &tensorOf(const Archive &archive, const std::string &name, size_t count,
                              const std::string &origin) {
  const ArchiveTensor *t = archive.find(name);
  if (!t || t->data.size() != count)
    throw Error(origin + ": tensor '" + name + "' is missing or holds " +
                std::to_string(t ? t->data.size() : 0) + " values, not " +
                std::to_string(count) + " (a checkpoint of another ReRAM mapping?)");
  return *t;
}

template <typename T>
void readInto(const ArchiveTensor &t, std::vector<T> &out, double top, const std::string &origin) {
  for (size_t i = 0; i < out.size(); ++i) {
    const double v = double(t.data[i]);
    if (!(v >= 0 && v <= top) || v != std::floor(v))
      throw Error(origin + ": tensor '" + t.name + "' holds " + std::to_string(v) +
                  ", not a count in [0, " + std::to_string(top) + "]");
    out[i] = T(v);
  }
}

std::vector<uint64_t> readSplit(const Archive &archive, const std::string &name, size_t count,
                                const std::string &origin) {
  std::vector<uint64_t> low(count), high(count), out(count);
  readInto(tensorOf(archive, name + ".low", count, origin), low, 0xffffff, origin);
  readInto(tensorOf(archive, name + ".high", count, origin), high, 0xffffff, origin);
  for (size_t i = 0; i < count; ++i)
    out[i] = (high[i] << 24) | low[i];
  return out;
}

std::string hex(uint64_t v) {
  char text[17];
  std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(v));
  return text;
}

uint64_t unhex(const nlohmann::json &value, const std::string &origin, const char *what) {
  if (!value.is_string() || value.get<std::string>().size() != 16)
    throw Error(origin + ": the ReRAM state's " + what + " is not 16 hex digits");
  return std::stoull(value.get<std::string>(), nullptr, 16);
}

} // namespace

void ProgrammedWeight::save(Archive &archive, const std::string &prefix) const {
  const int64_t cells = int64_t(levels.size());
  archive.add(prefix + ".levels", {cells}, levels.data());
  std::vector<float> small(levels.size());
  for (size_t i = 0; i < small.size(); ++i)
    small[i] = float(targets[i]);
  archive.add(prefix + ".targets", {cells}, small.data());
  for (size_t i = 0; i < small.size(); ++i)
    small[i] = float(stuck[i]);
  archive.add(prefix + ".stuck", {cells}, small.data());
  addSplit(archive, prefix + ".events", std::vector<uint64_t>(events.begin(), events.end()));
  addSplit(archive, prefix + ".pulses", cellPulses);
  std::vector<float> weights(wq.begin(), wq.end());
  archive.add(prefix + ".quantised", {rows, cols}, weights.data());
  if (!driftNu.empty())
    archive.add(prefix + ".drift_exponents", {cells}, driftNu.data());
  archive.meta[prefix] = {{"scale", double(scaleW)},      {"elapsed_s", elapsed},
                          {"read_stream", hex(readState)}, {"write_stream", hex(writeState)},
                          {"pulses", writePulses},         {"write_energy_pJ", writeEnergy}};
}

void ProgrammedWeight::restore(const Archive &archive, const std::string &prefix,
                               const std::string &origin) {
  auto meta = archive.meta.find(prefix);
  if (meta == archive.meta.end() || !meta->is_object())
    throw Error(origin + ": holds no ReRAM state for '" + prefix + "'");
  const size_t cells = levels.size();
  const double cellTop = double((int64_t(1) << geometry.cellBits) - 1);
  // Check everything, then change.
  const ArchiveTensor &level = tensorOf(archive, prefix + ".levels", cells, origin);
  for (float v : level.data)
    if (!(v >= 0 && v <= cellTop))
      throw Error(origin + ": tensor '" + level.name + "' holds a level outside [0, " +
                  std::to_string(cellTop) + "]");
  std::vector<uint8_t> target(cells), stuckAt(cells);
  readInto(tensorOf(archive, prefix + ".targets", cells, origin), target, cellTop, origin);
  readInto(tensorOf(archive, prefix + ".stuck", cells, origin), stuckAt, kStuckOn, origin);
  std::vector<uint64_t> eventCounts = readSplit(archive, prefix + ".events", cells, origin);
  std::vector<uint64_t> pulseCounts = readSplit(archive, prefix + ".pulses", cells, origin);
  const ArchiveTensor &quantised = tensorOf(archive, prefix + ".quantised", wq.size(), origin);
  const double top = double((int64_t(1) << (geometry.weightBits - 1)) - 1);
  for (float v : quantised.data)
    if (!(std::abs(v) <= top) || v != std::floor(v))
      throw Error(origin + ": tensor '" + quantised.name + "' holds a value outside the " +
                  std::to_string(geometry.weightBits) + "-bit weights");
  const ArchiveTensor *nu = archive.find(prefix + ".drift_exponents");
  if (nu && nu->data.size() != cells)
    throw Error(origin + ": tensor '" + nu->name + "' does not hold one exponent per cell");
  const nlohmann::json &m = *meta;
  const uint64_t read = unhex(m.value("read_stream", nlohmann::json()), origin, "read stream");
  const uint64_t written = unhex(m.value("write_stream", nlohmann::json()), origin, "write stream");
  const double scale = m.value("scale", 0.0), clock = m.value("elapsed_s", -1.0);
  if (!(scale > 0) || !(clock >= 0))
    throw Error(origin + ": the ReRAM state's scale or drift clock is not a valid number");
  levels = level.data;
  forwardBlocks.clear();
  transposedBlocks.clear();
  targets = std::move(target);
  stuck = std::move(stuckAt);
  for (size_t i = 0; i < cells; ++i)
    events[i] = uint32_t(std::min<uint64_t>(eventCounts[i], UINT32_MAX));
  cellPulses = std::move(pulseCounts);
  for (size_t i = 0; i < wq.size(); ++i)
    wq[i] = int32_t(quantised.data[i]);
  std::fill(colSums.begin(), colSums.end(), 0);
  std::fill(rowSums.begin(), rowSums.end(), 0);
  for (int64_t k = 0; k < rows; ++k)
    for (int64_t n = 0; n < cols; ++n) {
      colSums[n] += wq[k * cols + n];
      rowSums[k] += wq[k * cols + n];
    }
  driftNu = nu ? nu->data : std::vector<float>{};
  scaleW = float(scale);
  elapsed = clock;
  readState = read;
  writeState = written;
  writePulses = m.value("pulses", int64_t(0));
  writeEnergy = m.value("write_energy_pJ", 0.0);
}

} // namespace hpt::rt::pim
