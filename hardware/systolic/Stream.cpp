//===- Stream.cpp - text and binary forms of a systolic stream -------------===//

#include "hardware/systolic/Stream.h"

#include "hardware/Checksum.h"

#include <cerrno>
#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <sstream>

namespace hpt::systolic {
namespace {

// One named field of the text form; each opcode prints only its own fields,
// so a stream reads back field for field.
enum class Kind { U64, U32, Bool, F32, DataflowE, ElementE, BufferE, VectorE };
struct Field {
  const char *name;
  Kind kind;
  size_t offset;
};
#define HPT_FIELD(n, k, m) Field{n, Kind::k, offsetof(Instruction, m)}
const Field kFields[] = {
    HPT_FIELD("dataflow", DataflowE, dataflow),
    HPT_FIELD("element", ElementE, element),
    HPT_FIELD("array_rows", U32, arrayRows),
    HPT_FIELD("array_cols", U32, arrayCols),
    HPT_FIELD("sram_ifmap", U64, sramWords[0]),
    HPT_FIELD("sram_filter", U64, sramWords[1]),
    HPT_FIELD("sram_ofmap", U64, sramWords[2]),
    HPT_FIELD("dram_ifmap", U64, dramWords[0]),
    HPT_FIELD("dram_filter", U64, dramWords[1]),
    HPT_FIELD("dram_ofmap", U64, dramWords[2]),
    HPT_FIELD("bandwidth", U32, bandwidth),
    HPT_FIELD("buffer", BufferE, buffer),
    HPT_FIELD("dram", U64, dramAddress),
    HPT_FIELD("sram", U64, sramAddress),
    HPT_FIELD("rows", U32, rows),
    HPT_FIELD("cols", U32, cols),
    HPT_FIELD("stride", U64, stride),
    HPT_FIELD("stream", U64, streamed),
    HPT_FIELD("operand0", U64, operandAddress[0]),
    HPT_FIELD("operand1", U64, operandAddress[1]),
    HPT_FIELD("result", U64, resultAddress),
    HPT_FIELD("accumulate", Bool, accumulate),
    HPT_FIELD("first", Bool, first),
    HPT_FIELD("last", Bool, last),
    HPT_FIELD("op", VectorE, vectorOp),
    HPT_FIELD("scalar", F32, scalar),
};
#undef HPT_FIELD

std::vector<std::string> fieldsOf(Opcode op) {
  switch (op) {
  case Opcode::Config:
    return {"dataflow",   "element",     "array_rows", "array_cols",
            "sram_ifmap", "sram_filter", "sram_ofmap", "dram_ifmap",
            "dram_filter", "dram_ofmap", "bandwidth"};
  case Opcode::MoveIn:
    return {"buffer", "dram", "sram", "rows", "cols", "stride"};
  case Opcode::MoveOut:
    return {"dram", "sram", "rows", "cols", "stride", "accumulate"};
  case Opcode::Preload:
    return {"buffer", "sram", "rows", "cols"};
  case Opcode::Compute:
    return {"stream",   "rows",   "cols",  "operand0", "operand1",
            "result", "first", "last"};
  case Opcode::Vector:
    return {"op", "sram", "rows", "cols", "operand0", "operand1", "first", "scalar"};
  case Opcode::Fence:
    return {};
  }
  return {};
}

const Field *findField(const std::string &name) {
  for (const Field &f : kFields)
    if (name == f.name)
      return &f;
  return nullptr;
}

std::string formatField(const Instruction &inst, const Field &f) {
  const char *base = reinterpret_cast<const char *>(&inst) + f.offset;
  switch (f.kind) {
  case Kind::U64: return std::to_string(*reinterpret_cast<const uint64_t *>(base));
  case Kind::U32: return std::to_string(*reinterpret_cast<const uint32_t *>(base));
  case Kind::Bool: return *reinterpret_cast<const bool *>(base) ? "1" : "0";
  case Kind::F32: {
    std::ostringstream os;
    os.precision(9);
    os << *reinterpret_cast<const float *>(base);
    return os.str();
  }
  case Kind::DataflowE: return name(*reinterpret_cast<const Dataflow *>(base));
  case Kind::ElementE: return name(*reinterpret_cast<const ElementType *>(base));
  case Kind::BufferE: return name(*reinterpret_cast<const Buffer *>(base));
  case Kind::VectorE: return name(*reinterpret_cast<const VectorOp *>(base));
  }
  return "";
}

bool parseUnsigned(const std::string &text, uint64_t max, uint64_t &out) {
  if (text.empty() || text.size() > 20)
    return false;
  for (char c : text)
    if (c < '0' || c > '9')
      return false;
  errno = 0;
  unsigned long long v = std::strtoull(text.c_str(), nullptr, 10);
  if (errno || v > max)
    return false;
  out = v;
  return true;
}

bool setField(Instruction &inst, const Field &f, const std::string &text) {
  char *base = reinterpret_cast<char *>(&inst) + f.offset;
  uint64_t v = 0;
  switch (f.kind) {
  case Kind::U64:
    if (!parseUnsigned(text, UINT64_MAX, v)) return false;
    *reinterpret_cast<uint64_t *>(base) = v;
    return true;
  case Kind::U32:
    if (!parseUnsigned(text, UINT32_MAX, v)) return false;
    *reinterpret_cast<uint32_t *>(base) = static_cast<uint32_t>(v);
    return true;
  case Kind::Bool:
    if (text != "0" && text != "1") return false;
    *reinterpret_cast<bool *>(base) = text == "1";
    return true;
  case Kind::F32: {
    char *end = nullptr;
    float value = std::strtof(text.c_str(), &end);
    if (text.empty() || *end) return false;
    *reinterpret_cast<float *>(base) = value;
    return true;
  }
  case Kind::DataflowE: return fromName(text, *reinterpret_cast<Dataflow *>(base));
  case Kind::ElementE: return fromName(text, *reinterpret_cast<ElementType *>(base));
  case Kind::BufferE: return fromName(text, *reinterpret_cast<Buffer *>(base));
  case Kind::VectorE: return fromName(text, *reinterpret_cast<VectorOp *>(base));
  }
  return false;
}

// ---- binary records ----------------------------------------------------

constexpr char kMagic[8] = {'H', 'P', 'T', 'S', 'A', 'S', 'T', 'R'};

void put(std::string &out, uint64_t v, int bytes) {
  for (int i = 0; i < bytes; ++i)
    out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}
uint64_t get(std::string_view in, size_t &at, int bytes) {
  uint64_t v = 0;
  for (int i = 0; i < bytes; ++i)
    v |= static_cast<uint64_t>(static_cast<unsigned char>(in[at + i])) << (8 * i);
  at += bytes;
  return v;
}

// Record layout: 8 one-byte fields (opcode, dataflow, element, buffer,
// vector op, flags = accumulate|first<<1|last<<2, two zero pads), six u32
// (array rows, array cols, rows, cols, bandwidth, scalar's bits), then
// thirteen u64 (sram words x3, dram words x3, dram address, sram address,
// stride, streamed, operand addresses x2, result address).
void encodeRecord(const Instruction &in, std::string &out) {
  put(out, static_cast<uint8_t>(in.opcode), 1);
  put(out, static_cast<uint8_t>(in.dataflow), 1);
  put(out, static_cast<uint8_t>(in.element), 1);
  put(out, static_cast<uint8_t>(in.buffer), 1);
  put(out, static_cast<uint8_t>(in.vectorOp), 1);
  put(out, (in.accumulate ? 1 : 0) | (in.first ? 2 : 0) | (in.last ? 4 : 0), 1);
  put(out, 0, 2);
  uint32_t scalarBits;
  std::memcpy(&scalarBits, &in.scalar, 4);
  for (uint32_t v : {in.arrayRows, in.arrayCols, in.rows, in.cols, in.bandwidth, scalarBits})
    put(out, v, 4);
  for (uint64_t v : {in.sramWords[0], in.sramWords[1], in.sramWords[2], in.dramWords[0],
                     in.dramWords[1], in.dramWords[2], in.dramAddress, in.sramAddress,
                     in.stride, in.streamed, in.operandAddress[0], in.operandAddress[1],
                     in.resultAddress})
    put(out, v, 8);
}

/// The instruction of the record at `at`, or false for a bad enum or flag byte.
bool decodeRecord(std::string_view in, size_t at, Instruction &r) {
  bool ok = fromRaw(get(in, at, 1), r.opcode) && fromRaw(get(in, at, 1), r.dataflow) &&
            fromRaw(get(in, at, 1), r.element) && fromRaw(get(in, at, 1), r.buffer) &&
            fromRaw(get(in, at, 1), r.vectorOp);
  uint64_t flags = get(in, at, 1);
  uint64_t pad = get(in, at, 2);
  if (!ok || flags > 7 || pad != 0)
    return false;
  r.accumulate = flags & 1;
  r.first = flags & 2;
  r.last = flags & 4;
  r.arrayRows = get(in, at, 4);
  r.arrayCols = get(in, at, 4);
  r.rows = get(in, at, 4);
  r.cols = get(in, at, 4);
  r.bandwidth = get(in, at, 4);
  uint32_t scalarBits = get(in, at, 4);
  std::memcpy(&r.scalar, &scalarBits, 4);
  for (uint64_t *f : {&r.sramWords[0], &r.sramWords[1], &r.sramWords[2], &r.dramWords[0],
                      &r.dramWords[1], &r.dramWords[2], &r.dramAddress, &r.sramAddress,
                      &r.stride, &r.streamed, &r.operandAddress[0], &r.operandAddress[1],
                      &r.resultAddress})
    *f = get(in, at, 8);
  return true;
}

} // namespace

std::string toText(const Stream &stream) {
  std::ostringstream os;
  os << "# hpt systolic stream v" << kStreamVersion << "\n";
  for (const Instruction &inst : stream.instructions) {
    os << name(inst.opcode);
    for (const std::string &field : fieldsOf(inst.opcode))
      os << ' ' << field << '=' << formatField(inst, *findField(field));
    os << '\n';
  }
  return os.str();
}

hw::Expected<Stream> parseText(std::string_view text, const std::string &source) {
  Stream stream;
  std::istringstream lines{std::string(text)};
  std::string line;
  for (size_t lineNo = 1; std::getline(lines, line); ++lineNo) {
    auto fail = [&](const std::string &what) {
      return hw::fail(source + ":" + std::to_string(lineNo) + ": " + what);
    };
    if (size_t hash = line.find('#'); hash != std::string::npos)
      line.erase(hash);
    std::istringstream words(line);
    std::string word;
    if (!(words >> word))
      continue;
    Instruction inst;
    if (!fromName(word, inst.opcode))
      return fail("unknown opcode '" + word + "'");
    if (inst.opcode == Opcode::MoveOut) // its one buffer, as the planner writes it
      inst.buffer = Buffer::Ofmap;
    std::vector<std::string> allowed = fieldsOf(inst.opcode);
    while (words >> word) {
      size_t eq = word.find('=');
      if (eq == std::string::npos)
        return fail("expected key=value, got '" + word + "'");
      std::string key = word.substr(0, eq), value = word.substr(eq + 1);
      const Field *field = findField(key);
      bool known = false;
      for (const std::string &a : allowed)
        known |= a == key;
      if (!field || !known)
        return fail(std::string("'") + key + "' is not a field of " + name(inst.opcode));
      if (!setField(inst, *field, value))
        return fail("bad value '" + value + "' for " + key);
    }
    stream.instructions.push_back(inst);
  }
  return stream;
}

std::string toBinary(const Stream &stream) {
  std::string records;
  records.reserve(stream.instructions.size() * kStreamRecordBytes);
  for (const Instruction &inst : stream.instructions)
    encodeRecord(inst, records);
  std::string out(kMagic, sizeof(kMagic));
  put(out, kStreamVersion, 4);
  put(out, kStreamRecordBytes, 4);
  put(out, stream.instructions.size(), 8);
  put(out, hw::fnv1a64(records), 8);
  return out + records;
}

bool isBinaryStream(std::string_view bytes) {
  return bytes.size() >= sizeof(kMagic) && std::memcmp(bytes.data(), kMagic, sizeof(kMagic)) == 0;
}

hw::Expected<Stream> parseBinary(std::string_view bytes, const std::string &source) {
  if (bytes.size() < kStreamHeaderBytes || !isBinaryStream(bytes))
    return hw::fail(source + ": not a binary hpt systolic stream (bad magic)");
  size_t at = 8;
  uint64_t version = get(bytes, at, 4), recordSize = get(bytes, at, 4);
  uint64_t count = get(bytes, at, 8), checksum = get(bytes, at, 8);
  if (version != kStreamVersion)
    return hw::fail(source + ": stream version " + std::to_string(version) + ", expected " +
                std::to_string(kStreamVersion));
  if (recordSize != kStreamRecordBytes)
    return hw::fail(source + ": record size " + std::to_string(recordSize) + ", expected " +
                std::to_string(kStreamRecordBytes));
  uint64_t available = (bytes.size() - kStreamHeaderBytes) / kStreamRecordBytes;
  if ((bytes.size() - kStreamHeaderBytes) % kStreamRecordBytes != 0 || available != count)
    return hw::fail(source + ": header says " + std::to_string(count) +
                " instructions, file holds " + std::to_string(available) +
                (available < count ? " (truncated at instruction " + std::to_string(available) + ")"
                                   : ""));
  if (hw::fnv1a64(bytes.substr(kStreamHeaderBytes)) != checksum)
    return hw::fail(source + ": checksum mismatch");
  Stream stream;
  stream.instructions.resize(count);
  for (uint64_t i = 0; i < count; ++i)
    if (!decodeRecord(bytes, kStreamHeaderBytes + i * kStreamRecordBytes,
                      stream.instructions[i]))
      return hw::fail(source + ": instruction " + std::to_string(i) +
                      ": bad opcode, enum or flag byte");
  return stream;
}

hw::Expected<Stream> parseStream(std::string_view bytes, const std::string &source) {
  return isBinaryStream(bytes) ? parseBinary(bytes, source) : parseText(bytes, source);
}

} // namespace hpt::systolic
