//===- LayerList.cpp - a network as a list of layers ----------------------===//

#include "hardware/pim/LayerList.h"

#include "hardware/Ini.h"

#include <charconv>
#include <optional>

namespace hpt::hw::pim {
namespace {

constexpr int64_t kMaxExtent = 1 << 20;   // rows, columns, channels
constexpr int64_t kMaxOutputs = 1 << 22;  // output pixels (fc: features) of the network
constexpr int64_t kMaxBits = 32;

std::vector<std::string> splitOn(std::string_view text, char separator) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (true) {
    const size_t end = text.find(separator, start);
    parts.push_back(trimBlanks(std::string(text.substr(start, end - start))));
    if (end == std::string_view::npos)
      return parts;
    start = end + 1;
  }
}

bool wholeNumber(const std::string &text, int64_t &out) {
  const char *end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, out);
  return ec == std::errc() && ptr == end;
}

class RowReader {
public:
  RowReader(const std::string &source, size_t line, const std::vector<std::string> &cells)
      : source(source), line(line), cells(cells) {}

  std::string where(const char *column) const {
    return source + ":" + std::to_string(line) + ": " + column;
  }

  /// A whole number in [low, high]; `fallback` when the cell is blank and a
  /// fallback is allowed.
  Expected<int64_t> integer(size_t column, const char *key, int64_t low, int64_t high,
                            std::optional<int64_t> fallback = std::nullopt) const {
    const std::string &cell = cells[column];
    if (cell.empty()) {
      if (fallback)
        return *fallback;
      return fail(where(key) + ": missing");
    }
    int64_t value;
    if (!wholeNumber(cell, value))
      return fail(where(key) + ": '" + cell + "' is not a whole number");
    if (value < low || value > high)
      return fail(where(key) + ": " + cell + " is outside [" + std::to_string(low) + ", " +
                  std::to_string(high) + "]");
    return value;
  }

private:
  const std::string &source;
  size_t line;
  const std::vector<std::string> &cells;
};

enum Column : size_t {
  kName, kType, kInH, kInW, kInCh, kOutCh, kKernel, kStride, kPadding, kWbits, kAbits, kInputs,
  kColumns
};

Expected<LayerKind> kindOf(const std::string &text, const RowReader &row) {
  if (text == "conv")
    return LayerKind::Conv;
  if (text == "fc")
    return LayerKind::Fc;
  if (text == "pooling")
    return LayerKind::Pooling;
  if (text == "element_sum")
    return LayerKind::ElementSum;
  return fail(row.where("type") + ": '" + text +
              "' is not conv, fc, pooling or element_sum");
}

Expected<std::vector<int64_t>> inputsOf(const std::string &text, size_t index,
                                        const RowReader &row) {
  if (text.empty())
    return index == 0 ? std::vector<int64_t>{} : std::vector<int64_t>{-1};
  std::vector<int64_t> offsets;
  for (const std::string &item : splitOn(text, ';')) {
    int64_t offset;
    if (!wholeNumber(item, offset))
      return fail(row.where("inputs") + ": '" + item + "' is not an offset like -1");
    if (offset >= 0 || int64_t(index) + offset < 0)
      return fail(row.where("inputs") + ": offset " + item + " names no earlier row");
    offsets.push_back(offset);
  }
  return offsets;
}

/// Reads the shape columns a row of `kind` needs and refuses those it must
/// leave blank.
Expected<bool> readShape(Layer &layer, const RowReader &row) {
  std::string error;
  auto check = [&](size_t column, const char *key, int64_t low, int64_t high, int64_t &into,
                   std::optional<int64_t> fallback = std::nullopt) {
    if (!error.empty())
      return;
    Expected<int64_t> value = row.integer(column, key, low, high, fallback);
    if (!value)
      error = value.error();
    else
      into = *value;
  };
  switch (layer.kind) {
  case LayerKind::Conv:
  case LayerKind::Pooling:
    check(kInH, "in_h", 1, kMaxExtent, layer.inH);
    check(kInW, "in_w", 1, kMaxExtent, layer.inW);
    check(kInCh, "in_ch", 1, kMaxExtent, layer.inCh);
    check(kKernel, "kernel", 1, 1024, layer.kernel);
    check(kStride, "stride", 1, 1024, layer.stride);
    check(kPadding, "padding", 0, 1024, layer.padding);
    if (layer.kind == LayerKind::Conv) {
      check(kOutCh, "out_ch", 1, kMaxExtent, layer.outCh);
      check(kWbits, "wbits", 1, kMaxBits, layer.weightBits);
    } else {
      // A pooling layer keeps its channels (MNSIM takes them from its input).
      check(kOutCh, "out_ch", layer.inCh, layer.inCh, layer.outCh, layer.inCh);
      check(kWbits, "wbits", 0, kMaxBits, layer.weightBits, 0);
    }
    break;
  case LayerKind::Fc:
    check(kInH, "in_h", 1, 1, layer.inH, 1);
    check(kInW, "in_w", 1, 1, layer.inW, 1);
    check(kInCh, "in_ch", 1, kMaxExtent, layer.inCh);
    check(kOutCh, "out_ch", 1, kMaxExtent, layer.outCh);
    check(kKernel, "kernel", 1, 1, layer.kernel, 1);
    check(kStride, "stride", 1, 1, layer.stride, 1);
    check(kPadding, "padding", 0, 0, layer.padding, 0);
    check(kWbits, "wbits", 1, kMaxBits, layer.weightBits);
    break;
  case LayerKind::ElementSum:
    check(kWbits, "wbits", 0, kMaxBits, layer.weightBits, 0);
    break;
  }
  check(kAbits, "abits", 1, kMaxBits, layer.activationBits);
  if (!error.empty())
    return fail(error);
  if (layer.kind == LayerKind::Conv || layer.kind == LayerKind::Pooling) {
    if (layer.kernel > layer.inH + 2 * layer.padding || layer.kernel > layer.inW + 2 * layer.padding)
      return fail(row.where("kernel") + ": a " + std::to_string(layer.kernel) +
                  "-wide kernel does not fit the padded " + std::to_string(layer.inH) + "x" +
                  std::to_string(layer.inW) + " input");
  }
  return true;
}

/// The producers' outputs must be what the row reads.
Expected<bool> checkInputs(Layer &layer, const std::vector<Layer> &earlier, const RowReader &row) {
  if (layer.inputs.empty())
    return true;
  const Layer &first = earlier[earlier.size() + layer.inputs[0]];
  if (layer.kind == LayerKind::ElementSum) {
    if (layer.inputs.size() < 2)
      return fail(row.where("inputs") + ": an element_sum adds two or more layers");
    for (int64_t offset : layer.inputs) {
      const Layer &p = earlier[earlier.size() + offset];
      if (p.outH() != first.outH() || p.outW() != first.outW() || p.outCh != first.outCh)
        return fail(row.where("inputs") + ": layers '" + first.name + "' and '" + p.name +
                    "' have different output shapes");
    }
    // It has its producers' shape (MNSIM takes it from the first one).
    layer.inH = first.outH();
    layer.inW = first.outW();
    layer.inCh = layer.outCh = first.outCh;
    return true;
  }
  if (layer.inputs.size() != 1)
    return fail(row.where("inputs") + ": a " + std::string(name(layer.kind)) +
                " layer reads one layer");
  const std::string producer = "layer '" + first.name + "'";
  if (layer.kind == LayerKind::Fc) {
    const int64_t features = first.outH() * first.outW() * first.outCh;
    if (layer.inCh != features)
      return fail(row.where("in_ch") + ": " + std::to_string(layer.inCh) + " does not match the " +
                  std::to_string(features) + " outputs of " + producer);
    return true;
  }
  if (first.kind == LayerKind::Fc)
    return fail(row.where("type") + ": a " + std::string(name(layer.kind)) +
                " cannot read the fc " + producer + " (MNSIM 2.0 indexes its pixels)");
  if (layer.inH != first.outH() || layer.inW != first.outW())
    return fail(row.where("in_h") + ": " + std::to_string(layer.inH) + "x" +
                std::to_string(layer.inW) + " does not match the " + std::to_string(first.outH()) +
                "x" + std::to_string(first.outW()) + " output of " + producer);
  if (layer.inCh != first.outCh)
    return fail(row.where("in_ch") + ": " + std::to_string(layer.inCh) + " does not match the " +
                std::to_string(first.outCh) + " output channels of " + producer);
  return true;
}

} // namespace

Expected<std::vector<Layer>> parseLayerList(std::string_view text, const std::string &source) {
  std::vector<Layer> layers;
  bool header = false;
  size_t line = 0, start = 0;
  int64_t outputs = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos)
      end = text.size();
    std::string row(text.substr(start, end - start));
    start = end + 1;
    ++line;
    if (!row.empty() && row.back() == '\r')
      row.pop_back();
    const std::string trimmed = trimBlanks(row);
    if (trimmed.empty() || trimmed[0] == '#')
      continue;
    if (!header) {
      if (trimmed != kLayerListHeader)
        return fail(source + ":" + std::to_string(line) + ": the header must be '" +
                    kLayerListHeader + "'");
      header = true;
      continue;
    }
    const std::vector<std::string> cells = splitOn(row, ',');
    if (cells.size() != kColumns)
      return fail(source + ":" + std::to_string(line) + ": " + std::to_string(cells.size()) +
                  " columns; the header has " + std::to_string(size_t(kColumns)));
    RowReader reader(source, line, cells);
    Layer layer;
    layer.line = line;
    layer.name = cells[kName];
    if (layer.name.empty())
      return fail(reader.where("name") + ": missing");
    Expected<LayerKind> kind = kindOf(cells[kType], reader);
    if (!kind)
      return fail(kind.error());
    layer.kind = *kind;
    Expected<std::vector<int64_t>> inputs = inputsOf(cells[kInputs], layers.size(), reader);
    if (!inputs)
      return fail(inputs.error());
    layer.inputs = std::move(*inputs);
    if (layer.kind == LayerKind::ElementSum && layers.empty())
      return fail(reader.where("type") + ": an element_sum needs earlier layers");
    if (Expected<bool> ok = readShape(layer, reader); !ok)
      return fail(ok.error());
    if (Expected<bool> ok = checkInputs(layer, layers, reader); !ok)
      return fail(ok.error());
    // The model keeps every output's finish time (a pixel pipeline).
    outputs += layer.kind == LayerKind::Fc ? layer.outCh : layer.outH() * layer.outW();
    if (outputs > kMaxOutputs)
      return fail(reader.where("in_h") + ": the network has more than " +
                  std::to_string(kMaxOutputs) + " outputs (pixels, fc features)");
    layers.push_back(std::move(layer));
  }
  if (!header)
    return fail(source + ": no header line '" + std::string(kLayerListHeader) + "'");
  if (layers.empty())
    return fail(source + ": no layers");
  return layers;
}

} // namespace hpt::hw::pim
