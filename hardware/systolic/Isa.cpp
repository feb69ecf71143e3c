//===- Isa.cpp - names of the systolic instruction set's enums -------------===//

#include "hardware/systolic/Isa.h"

#include <cstddef>

namespace hpt::systolic {
namespace {

template <typename E> struct EnumNames;
template <> struct EnumNames<Opcode> {
  static constexpr const char *names[] = {"config",  "movein", "moveout", "preload",
                                          "compute", "vector", "fence"};
};
template <> struct EnumNames<Dataflow> {
  static constexpr const char *names[] = {"os", "ws", "is"};
};
template <> struct EnumNames<Buffer> {
  static constexpr const char *names[] = {"ifmap", "filter", "ofmap"};
};
template <> struct EnumNames<ElementType> {
  static constexpr const char *names[] = {"f32", "i8"};
};
template <> struct EnumNames<VectorOp> {
  static constexpr const char *names[] = {"softmax", "layernorm", "add",
                                          "scale",   "relu",      "gelu",
                                          "addrow",  "relugrad",  "gelugrad",
                                          "softmaxgrad", "mul",     "layernormgrad",
                                          "sgd",     "sgdmomentum", "adam"};
};

template <typename E> constexpr size_t enumCount() {
  return sizeof(EnumNames<E>::names) / sizeof(EnumNames<E>::names[0]);
}
static_assert(enumCount<Opcode>() == size_t(Opcode::Fence) + 1);
static_assert(enumCount<VectorOp>() == size_t(VectorOp::Adam) + 1);

template <typename E> const char *nameOf(E value) {
  return EnumNames<E>::names[static_cast<size_t>(value)];
}

template <typename E> bool named(std::string_view text, E &out) {
  for (size_t i = 0; i < enumCount<E>(); ++i)
    if (text == EnumNames<E>::names[i]) {
      out = static_cast<E>(i);
      return true;
    }
  return false;
}

template <typename E> bool raw(uint64_t value, E &out) {
  if (value >= enumCount<E>())
    return false;
  out = static_cast<E>(value);
  return true;
}

} // namespace

const char *name(Opcode v) { return nameOf(v); }
const char *name(Dataflow v) { return nameOf(v); }
const char *name(Buffer v) { return nameOf(v); }
const char *name(ElementType v) { return nameOf(v); }
const char *name(VectorOp v) { return nameOf(v); }

bool fromName(std::string_view text, Opcode &out) { return named(text, out); }
bool fromName(std::string_view text, Dataflow &out) { return named(text, out); }
bool fromName(std::string_view text, Buffer &out) { return named(text, out); }
bool fromName(std::string_view text, ElementType &out) { return named(text, out); }
bool fromName(std::string_view text, VectorOp &out) { return named(text, out); }

bool fromRaw(uint64_t value, Opcode &out) { return raw(value, out); }
bool fromRaw(uint64_t value, Dataflow &out) { return raw(value, out); }
bool fromRaw(uint64_t value, Buffer &out) { return raw(value, out); }
bool fromRaw(uint64_t value, ElementType &out) { return raw(value, out); }
bool fromRaw(uint64_t value, VectorOp &out) { return raw(value, out); }

bool stationaryBuffer(Dataflow df, Buffer &out) {
  if (df == Dataflow::OutputStationary)
    return false;
  out = df == Dataflow::WeightStationary ? Buffer::Filter : Buffer::Ifmap;
  return true;
}

} // namespace hpt::systolic
