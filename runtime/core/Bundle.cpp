//===- Bundle.cpp - reading hpt-translate's bundles -----------------------===//

#include "runtime/core/Bundle.h"

#include "hardware/BundleSchema.h"
#include "hardware/Checksum.h"
#include "hardware/pim/Tiling.h"
#include "hardware/systolic/Check.h"
#include "hardware/systolic/Stream.h"
#include "runtime/core/Error.h"
#include "runtime/core/Json.h"
#include "runtime/core/Limits.h"

#include <algorithm>
#include <cstring>
#include <fstream>
#include <set>
#include <type_traits>
#include <sstream>

using nlohmann::json;

namespace hpt::rt {

namespace key = hw::bundle::key;

int64_t numElements(const Shape &shape) {
  std::optional<int64_t> count = checkedProduct(shape);
  if (!count)
    throw Error("shape " + shapeText(shape) + " has more elements than fit 64 bits");
  return *count;
}

std::string bundleWithProgram(std::string_view program) {
  return hw::bundle::write({{hw::bundle::kProgram, std::string(program)}});
}

void writeBundleFile(const Bundle &bundle, const std::string &path) {
  std::ofstream out(path, std::ios::binary);
  out << hw::bundle::write(bundle.sections);
  if (!out)
    throw Error(path + ": cannot write");
}

std::vector<Shape> valueShapes(const FunctionSpec &fn) {
  std::vector<Shape> shapes(fn.values);
  for (size_t i = 0; i < fn.args.size(); ++i)
    shapes[i] = fn.args[i];
  for (const OpSpec &op : fn.ops)
    for (size_t r = 0; r < op.results.size(); ++r)
      shapes[op.results[r]] = op.shapes[r];
  return shapes;
}

const SystolicOp *SystolicSection::find(const std::string &function, size_t op) const {
  auto it = ops.find({function, op});
  return it == ops.end() ? nullptr : &it->second;
}

const ReramOp *ReramSection::find(const std::string &function, size_t op) const {
  auto it = ops.find({function, op});
  return it == ops.end() ? nullptr : &it->second;
}

const GpuOp *GpuSection::find(const std::string &function, size_t op) const {
  auto it = ops.find({function, op});
  return it == ops.end() ? nullptr : &it->second;
}

std::string shapeText(const Shape &shape) {
  std::string text = "[";
  for (size_t i = 0; i < shape.size(); ++i)
    text += (i ? ", " : "") + std::to_string(shape[i]);
  return text + "]";
}

const FunctionSpec *Bundle::function(const std::string &name) const {
  for (const FunctionSpec &fn : functions)
    if (fn.name == name)
      return &fn;
  return nullptr;
}

const ProgramSpec &Bundle::fullProgram() const {
  for (const ProgramSpec &program : programs)
    if (!program.lora)
      return program;
  throw Error(path + ": has no full-parameter training step (compile the model with "
                     "--hpt-autodiff)");
}

std::vector<const ProgramSpec *> Bundle::loraPrograms() const {
  std::vector<const ProgramSpec *> found;
  for (const ProgramSpec &program : programs)
    if (program.lora)
      found.push_back(&program);
  std::sort(found.begin(), found.end(), [](const ProgramSpec *x, const ProgramSpec *y) {
    return x->lora->rank < y->lora->rank;
  });
  return found;
}

const ProgramSpec *Bundle::loraProgram(int64_t rank) const {
  for (const ProgramSpec &program : programs)
    if (program.lora && program.lora->rank == rank)
      return &program;
  return nullptr;
}

namespace {
/// Reads fields of one JSON object, naming the object in errors.
class Reader {
public:
  Reader(const json &object, std::string context)
      : object(object), context(std::move(context)) {
    if (!object.is_object())
      fail("is not a JSON object");
  }

  [[noreturn]] void fail(const std::string &what) const {
    throw Error(context + ": " + what);
  }

  bool has(const char *key) const { return object.find(key) != object.end(); }

  const json &get(const char *key) const {
    auto it = object.find(key);
    if (it == object.end())
      fail(std::string("missing field '") + key + "'");
    return *it;
  }

  /// Field `key` as a T: integers only from integer numbers in T's range,
  /// strings and booleans only from their own JSON types.
  template <typename T>
  T as(const char *key) const {
    const json &value = get(key);
    std::optional<T> result;
    if constexpr (std::is_same_v<T, int64_t>)
      result = jsonInt64(value);
    else if constexpr (std::is_same_v<T, uint64_t>)
      result = jsonUint64(value);
    else if constexpr (std::is_same_v<T, std::vector<int64_t>>)
      result = jsonInt64s(value);
    else if constexpr (std::is_same_v<T, std::string>)
      result = value.is_string() ? std::optional<T>(value.get<std::string>()) : std::nullopt;
    else if constexpr (std::is_same_v<T, bool>)
      result = value.is_boolean() ? std::optional<T>(value.get<bool>()) : std::nullopt;
    else if constexpr (std::is_same_v<T, double>)
      result = value.is_number() ? std::optional<T>(value.get<double>()) : std::nullopt;
    else
      static_assert(std::is_same_v<T, void>, "no JSON reading for this type");
    if (!result)
      fail(std::string("field '") + key + "' has the wrong type");
    return *result;
  }

  Shape shape(const json &value, const std::string &what) const {
    Shape shape;
    if (!value.is_array())
      fail(what + " is not a shape");
    for (const json &size : value) {
      std::optional<int64_t> v = jsonInt64(size);
      if (!v || *v < 0)
        fail(what + " has a size that is not a non-negative integer");
      shape.push_back(*v);
    }
    if (!checkedProduct(shape))
      fail(what + " " + shapeText(shape) + " has more elements than fit 64 bits");
    return shape;
  }

  const std::string &where() const { return context; }

private:
  const json &object;
  std::string context;
};

ParamSpec readParam(const json &entry, const std::string &origin, size_t index) {
  Reader r(entry, origin + ": params[" + std::to_string(index) + "]");
  ParamSpec param;
  param.name = r.as<std::string>(key::kName);
  param.shape = r.shape(r.get(key::kShape), "shape");
  param.init = r.as<std::string>(key::kInit);
  param.fanIn = r.as<int64_t>(key::kFanIn);
  param.seed = r.as<uint64_t>(key::kSeed);
  param.trainable = r.as<bool>(key::kTrainable);
  if (param.init != "zeros" && param.init != "ones" && param.init != "uniform_fan_in")
    r.fail("unknown initialiser '" + param.init + "'");
  if (param.init == "uniform_fan_in" && param.fanIn <= 0)
    r.fail("uniform_fan_in needs a positive fan_in");
  return param;
}

/// Checks that every value is defined once, before it is used.
class Definitions {
public:
  Definitions(int64_t values, const Reader &fn) : defined(values, false), fn(fn) {}

  void define(int64_t id, const std::string &where) {
    check(id, where);
    if (defined[id])
      fn.fail(where + " redefines value " + std::to_string(id));
    defined[id] = true;
  }

  void use(int64_t id, const std::string &where) const {
    check(id, where);
    if (!defined[id])
      fn.fail(where + " uses value " + std::to_string(id) + " before it is defined");
  }

private:
  void check(int64_t id, const std::string &where) const {
    if (id < 0 || id >= static_cast<int64_t>(defined.size()))
      fn.fail(where + " names value " + std::to_string(id) + ", outside [0, " +
              std::to_string(defined.size()) + ")");
  }

  std::vector<bool> defined;
  const Reader &fn;
};

OpSpec readOp(const json &entry, const Reader &fn, size_t index,
              Definitions &defs, const std::set<std::string> &paramNames) {
  std::string where = "ops[" + std::to_string(index) + "]";
  Reader r(entry, fn.where() + ": " + where);
  OpSpec op;
  op.op = r.as<std::string>(key::kOp);
  op.operands = r.as<std::vector<int64_t>>(key::kOperands);
  op.results = r.as<std::vector<int64_t>>(key::kResults);
  op.attrs = r.get(key::kAttrs);
  op.loc = r.as<std::string>(key::kLoc);
  if (!op.attrs.is_object())
    r.fail("field 'attrs' is not an object");
  where += " (" + op.op + (op.loc.empty() ? "" : " at " + op.loc) + ")";
  const json &shapes = r.get(key::kShapes);
  if (!shapes.is_array() || shapes.size() != op.results.size())
    r.fail("needs one shape per result");
  for (const json &shape : shapes)
    op.shapes.push_back(r.shape(shape, "a result shape"));
  for (int64_t id : op.operands)
    defs.use(id, where);
  for (int64_t id : op.results)
    defs.define(id, where);
  for (const char *key : {"name", "param"})
    if (op.attrs.contains(key)) {
      const json &name = op.attrs[key];
      if (!name.is_string() || !paramNames.count(name.get<std::string>()))
        r.fail(std::string("attribute '") + key + "' names no parameter");
    }
  if (entry.contains(key::kDevice)) {
    Reader device(entry[key::kDevice], r.where() + ": device");
    if (!hw::fromName(device.as<std::string>(key::kKind), op.device.kind))
      device.fail("kind '" + device.as<std::string>(key::kKind) +
                  "' is not a device (host, systolic, reram, gpu)");
    if (entry[key::kDevice].contains(key::kInstance)) {
      int64_t instance = device.as<int64_t>(key::kInstance);
      if (instance < 0 || instance > int64_t(UINT32_MAX))
        device.fail("instance " + std::to_string(instance) + " is not an index");
      op.device.instance = static_cast<uint32_t>(instance);
    }
  }
  return op;
}

FunctionSpec readFunction(const json &entry, const std::string &origin,
                          size_t index, const std::set<std::string> &paramNames,
                          size_t payloadBytes) {
  Reader r(entry, origin + ": functions[" + std::to_string(index) + "]");
  FunctionSpec fn;
  fn.name = r.as<std::string>(key::kName);
  Reader named(entry, origin + ": function '" + fn.name + "'");
  fn.values = named.as<int64_t>(key::kValues);
  // Each value is named at least once in the text, so a count beyond its size
  // is a damaged file, not a reason to allocate.
  if (fn.values < 0 || static_cast<uint64_t>(fn.values) > payloadBytes)
    named.fail("field 'values' (" + std::to_string(fn.values) +
               ") is not a plausible number of values");
  Definitions defs(fn.values, named);
  const json &args = named.get(key::kArgs);
  if (!args.is_array())
    named.fail("field 'args' is not an array");
  for (size_t i = 0; i < args.size(); ++i) {
    fn.args.push_back(named.shape(args[i], "argument " + std::to_string(i)));
    defs.define(static_cast<int64_t>(i), "argument " + std::to_string(i));
  }
  const json &ops = named.get(key::kOps);
  if (!ops.is_array())
    named.fail("field 'ops' is not an array");
  for (size_t i = 0; i < ops.size(); ++i)
    fn.ops.push_back(readOp(ops[i], named, i, defs, paramNames));
  fn.returns = named.as<std::vector<int64_t>>(key::kReturns);
  for (int64_t id : fn.returns)
    defs.use(id, "return");
  return fn;
}

LoraSpec readLora(const Reader &program, const std::set<std::string> &paramNames,
                  const Bundle &bundle) {
  Reader r(program.get(key::kLora), program.where() + ": lora");
  LoraSpec lora;
  lora.rank = r.as<int64_t>(key::kRank);
  lora.alpha = r.as<double>(key::kAlpha);
  lora.dropout = r.as<double>(key::kDropout);
  lora.base = r.as<std::string>(key::kBase);
  if (lora.rank <= 0 || !(lora.alpha > 0) || !(lora.dropout >= 0 && lora.dropout < 1))
    r.fail("needs a positive rank and alpha and a dropout in [0, 1)");
  if (!bundle.function(lora.base))
    r.fail("base '" + lora.base + "' is not a function of the bundle");
  const json &adapters = r.get(key::kAdapters);
  if (!adapters.is_array())
    r.fail("field 'adapters' is not an array");
  for (size_t i = 0; i < adapters.size(); ++i) {
    Reader a(adapters[i], r.where() + ": adapters[" + std::to_string(i) + "]");
    AdapterSpec adapter{a.as<std::string>(key::kTarget), a.as<std::string>(key::kA),
                        a.as<std::string>(key::kB)};
    for (const std::string *name : {&adapter.target, &adapter.a, &adapter.b})
      if (!paramNames.count(*name))
        a.fail("'" + *name + "' names no parameter");
    lora.adapters.push_back(std::move(adapter));
  }
  return lora;
}

ProgramSpec readProgram(const json &entry, const std::string &origin, size_t index,
                        const std::set<std::string> &paramNames, const Bundle &bundle) {
  Reader r(entry, origin + ": programs[" + std::to_string(index) + "]");
  ProgramSpec program;
  program.train = r.as<std::string>(key::kTrain);
  program.eval = r.as<std::string>(key::kEval);
  for (const std::string *name : {&program.train, &program.eval})
    if (!bundle.function(*name))
      r.fail("'" + *name + "' is not a function of the bundle");
  if (entry.contains(key::kLora))
    program.lora = readLora(r, paramNames, bundle);
  return program;
}

std::string readFile(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw Error("cannot open bundle '" + path + "': " + std::strerror(errno));
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}
} // namespace

namespace {
const hw::bundle::Section *sectionNamed(const std::vector<hw::bundle::Section> &sections,
                                        const char *name) {
  for (const hw::bundle::Section &s : sections)
    if (s.name == name)
      return &s;
  return nullptr;
}

/// A stream's plan: what it computes (Planner.h's PlanSpec).
systolic::PlanSpec readPlan(const Reader &plan) {
  const std::string kind = plan.as<std::string>(key::kKind);
  if (kind == "gemm")
    return systolic::GemmShape{plan.as<uint64_t>(key::kM), plan.as<uint64_t>(key::kN),
                               plan.as<uint64_t>(key::kK), plan.as<uint64_t>(key::kBatch),
                               plan.as<bool>(key::kBias)};
  if (kind != "vector")
    plan.fail("kind '" + kind + "' is not gemm or vector");
  systolic::VectorShape vector;
  if (!systolic::fromName(plan.as<std::string>(key::kOp), vector.op))
    plan.fail("op '" + plan.as<std::string>(key::kOp) + "' is not a vector-unit op");
  vector.rows = plan.as<uint64_t>(key::kRows);
  vector.cols = plan.as<uint64_t>(key::kCols);
  vector.scalar = static_cast<float>(plan.as<double>(key::kScalar));
  return vector;
}

void readStreams(const json &table, const std::string &blob, const Reader &index,
                 const std::string &origin, SystolicSection &section) {
  if (!table.is_array())
    index.fail("field 'streams' is not an array");
  std::vector<systolic::Stream> &streams = section.streams;
  for (size_t i = 0; i < table.size(); ++i) {
    Reader entry(table[i], index.where() + ": streams[" + std::to_string(i) + "]");
    uint64_t offset = entry.as<uint64_t>(key::kOffset), bytes = entry.as<uint64_t>(key::kBytes);
    if (offset > blob.size() || bytes > blob.size() - offset)
      entry.fail("lies outside section 'systolic.streams' (" + std::to_string(blob.size()) +
                 " bytes)");
    const std::string name =
        origin + ": section 'systolic.streams': stream " + std::to_string(i);
    systolic::Stream stream = orThrow(systolic::parseBinary(blob.substr(offset, bytes), name));
    systolic::StreamChecker checker;
    for (size_t k = 0; k < stream.instructions.size(); ++k)
      if (std::string error = checker.check(stream.instructions[k]); !error.empty())
        throw Error(name + ": instruction " + std::to_string(k) + ": " + error);
    if (std::string error = checker.finish(); !error.empty())
      throw Error(name + ": " + error);
    std::optional<systolic::PlanSpec> plan;
    if (entry.has(key::kPlan)) {
      plan = readPlan(Reader(entry.get(key::kPlan), entry.where() + ": plan"));
      // A plan bigger than the stream fails before it is built.
      systolic::Plan replanned =
          systolic::planOf(*plan, systolic::machineOf(stream.instructions.front()),
                           stream.instructions.size() * sizeof(systolic::Instruction));
      if (!replanned || systolic::toBinary(*replanned) != blob.substr(offset, bytes))
        entry.fail("the stream is not what its plan gives (the section is damaged)");
    }
    streams.push_back(std::move(stream));
    section.plans.push_back(plan);
  }
}

/// The DRAM words of each region of a stream (its first CONFIG's).
const uint64_t *regionWords(const systolic::Stream &stream) {
  return stream.instructions.front().dramWords;
}

/// Words of a tensor the runtime owns and binds for `op` (Binding.h), or
/// nullopt when the op has none such: dropout's noise, an update's parameter,
/// its state and its coefficients.
std::optional<uint64_t> runtimeTensorWords(const OpSpec &op, systolic::BoundTensor tensor,
                                           const std::vector<Shape> &shapes) {
  using systolic::BoundTensor;
  if (op.operands.empty())
    return std::nullopt;
  const auto elements = static_cast<uint64_t>(numElements(shapes[op.operands[0]]));
  if (op.op == "dropout")
    return tensor == BoundTensor::DropoutNoise ? std::optional(elements) : std::nullopt;
  const bool adam = op.op == "adam_update" || op.op == "adamw_update";
  const auto momentum = op.attrs.find("momentum");
  const bool buffer = op.op == "sgd_update" && momentum != op.attrs.end() &&
                      momentum->is_number() && momentum->get<double>() != 0;
  if (!adam && op.op != "sgd_update")
    return std::nullopt;
  switch (tensor) {
  case BoundTensor::Parameter: return elements;
  case BoundTensor::Moment1: return adam || buffer ? std::optional(elements) : std::nullopt;
  case BoundTensor::Moment2: return adam ? std::optional(elements) : std::nullopt;
  case BoundTensor::Coefficients:
    if (adam)
      return systolic::kAdamWords;
    if (buffer)
      return systolic::kSgdMomentumWords;
    return systolic::kSgdWords;
  default: return std::nullopt;
  }
}

/// `shapes`: the shape of every value of the op's function.
/// Bindings never share words, except an in-place op's result taking its
/// operand's place (the same words, neither transposed); a planned stream's
/// bindings fill exactly the places its plan reads and writes.
void checkBindingLayout(const Reader &entry, const std::vector<DramBinding> &bindings,
                        const std::optional<systolic::PlanSpec> &plan) {
  auto overlap = [](const DramBinding &a, const DramBinding &b) {
    return a.region == b.region && a.offset < b.offset + b.words && b.offset < a.offset + a.words;
  };
  auto inPlace = [](const DramBinding &a, const DramBinding &b) {
    return a.offset == b.offset && a.words == b.words && a.output != b.output &&
           a.tensor == systolic::BoundTensor::Value && b.tensor == systolic::BoundTensor::Value &&
           !a.transpose && !b.transpose;
  };
  for (size_t i = 0; i < bindings.size(); ++i)
    for (size_t j = i + 1; j < bindings.size(); ++j)
      if (overlap(bindings[i], bindings[j]) && !inPlace(bindings[i], bindings[j]))
        entry.fail("bindings " + std::to_string(i) + " and " + std::to_string(j) +
                   " share words (only an in-place result may take its operand's place)");
  if (!plan)
    return;
  const std::vector<systolic::Slot> slots = systolic::planSlots(*plan);
  for (size_t i = 0; i < bindings.size(); ++i)
    if (std::none_of(slots.begin(), slots.end(), [&](const systolic::Slot &s) {
          return s.region == bindings[i].region && s.offset == bindings[i].offset &&
                 s.words == bindings[i].words;
        }))
      entry.fail("binding " + std::to_string(i) + " is not a tensor of the stream's plan");
  for (const systolic::Slot &s : slots)
    if (std::none_of(bindings.begin(), bindings.end(), [&](const DramBinding &b) {
          return s.region == b.region && s.offset == b.offset;
        }))
      entry.fail(std::string("no tensor is bound to the ") + systolic::name(s.region) +
                 " words at " + std::to_string(s.offset) + " that the stream's plan uses");
}

SystolicOp readSystolicOp(const Reader &entry, const std::vector<Shape> &shapes,
                          const OpSpec &op, const std::vector<systolic::Stream> &streams,
                          const std::optional<systolic::PlanSpec> &plan) {
  SystolicOp result;
  result.stream = entry.as<uint64_t>(key::kStream);
  if (result.stream >= streams.size())
    entry.fail("stream " + std::to_string(result.stream) + " does not exist");
  const json &bindings = entry.get(key::kBindings);
  if (!bindings.is_array())
    entry.fail("field 'bindings' is not an array");
  const uint64_t *words = regionWords(streams[result.stream]);
  for (size_t i = 0; i < bindings.size(); ++i) {
    Reader b(bindings[i], entry.where() + ": bindings[" + std::to_string(i) + "]");
    DramBinding binding;
    if (!systolic::fromName(b.as<std::string>(key::kRegion), binding.region))
      b.fail("region '" + b.as<std::string>(key::kRegion) + "' is not ifmap, filter or ofmap");
    binding.offset = b.as<uint64_t>(key::kOffset);
    const std::string tensor = b.as<std::string>(key::kTensor);
    if (!systolic::fromName(tensor, binding.tensor))
      b.fail("tensor '" + tensor + "' is not one of value, dropout-noise, parameter, moment1, "
             "moment2, coefficients");
    binding.output = b.as<bool>(key::kOutput);
    binding.transpose = b.as<bool>(key::kTranspose);
    std::string what = tensor;
    uint64_t elements = 0;
    if (binding.tensor == systolic::BoundTensor::Value) {
      binding.value = b.as<int64_t>(key::kValue);
      const std::vector<int64_t> &own = binding.output ? op.results : op.operands;
      if (std::find(own.begin(), own.end(), binding.value) == own.end())
        b.fail("value " + std::to_string(binding.value) + " is not " +
               (binding.output ? "a result" : "an operand") + " of the op");
      const Shape &shape = shapes[binding.value];
      what = "value " + std::to_string(binding.value) + " " + shapeText(shape);
      elements = static_cast<uint64_t>(numElements(shape));
      if (binding.transpose && shape.size() < 2)
        b.fail("a transposed binding needs a tensor of rank 2 or more");
    } else {
      std::optional<uint64_t> words = runtimeTensorWords(op, binding.tensor, shapes);
      if (!words)
        b.fail("a " + op.op + " op has no " + tensor + " tensor");
      if (binding.output != systolic::isWritten(binding.tensor) || binding.transpose)
        b.fail("the " + tensor + " tensor is " +
               (systolic::isWritten(binding.tensor) ? "written back" : "only read") +
               " and never transposed");
      if (binding.region != systolic::Buffer::Ofmap)
        b.fail("the " + tensor + " tensor belongs in the ofmap region");
      elements = *words;
    }
    binding.words = elements;
    uint64_t region = words[static_cast<int>(binding.region)];
    if (binding.offset > region || elements > region - binding.offset)
      b.fail(what + " at offset " + std::to_string(binding.offset) + " does not fit the " +
             systolic::name(binding.region) + " region of its stream (" +
             std::to_string(region) + " words): the stream does not match its tensors");
    result.bindings.push_back(binding);
  }
  checkBindingLayout(entry, result.bindings, plan);
  return result;
}

SystolicSection readSystolicSection(const hw::bundle::Section &indexSection,
                                    const hw::bundle::Section *streamsSection,
                                    const Bundle &bundle, const std::string &origin) {
  const std::string where = origin + ": section 'systolic'";
  if (!streamsSection)
    throw Error(where + " comes without section 'systolic.streams'");
  json index;
  try {
    index = json::parse(indexSection.bytes);
  } catch (const json::exception &e) {
    throw Error(where + ": malformed: " + e.what());
  }
  Reader r(index, where);
  SystolicSection section;
  readStreams(r.get(key::kStreams), streamsSection->bytes, r, origin, section);
  const json &ops = r.get(key::kOps);
  if (!ops.is_array())
    r.fail("field 'ops' is not an array");
  std::map<const FunctionSpec *, std::vector<Shape>> shapesOf; // computed once per function
  for (size_t i = 0; i < ops.size(); ++i) {
    Reader entry(ops[i], where + ": ops[" + std::to_string(i) + "]");
    std::string function = entry.as<std::string>(key::kFunction);
    uint64_t opIndex = entry.as<uint64_t>(key::kOp);
    const FunctionSpec *fn = bundle.function(function);
    if (!fn || opIndex >= fn->ops.size())
      entry.fail("names op " + std::to_string(opIndex) + " of function '" + function +
                 "', which does not exist");
    const OpSpec &op = fn->ops[opIndex];
    if (op.device.kind != hw::DeviceKind::Systolic)
      entry.fail("names op " + std::to_string(opIndex) + " of '" + function +
                 "', which is not placed on the systolic array");
    auto shapes = shapesOf.find(fn);
    if (shapes == shapesOf.end())
      shapes = shapesOf.emplace(fn, valueShapes(*fn)).first;
    const uint64_t stream = entry.as<uint64_t>(key::kStream);
    section.ops[{function, opIndex}] = readSystolicOp(
        entry, shapes->second, op, section.streams,
        stream < section.plans.size() ? section.plans[stream] : std::nullopt);
  }
  return section;
}

/// The shape of the matrix an op's operand 0 is read as: its leading axes
/// flattened.
std::pair<int64_t, int64_t> asMatrix(const Shape &shape) {
  const int64_t last = shape.empty() ? 1 : shape.back();
  return {last == 0 ? 0 : numElements(shape) / last, last};
}

/// The op a device section's entry names (its kFunction and kOp), checked
/// to exist and to be placed on `kind` (`device` in the message).
struct NamedOp {
  std::string function;
  uint64_t index;
  const FunctionSpec *fn;
};
NamedOp namedOp(const Reader &entry, const Bundle &bundle, hw::DeviceKind kind,
                const std::string &device) {
  NamedOp named{entry.as<std::string>(key::kFunction), entry.as<uint64_t>(key::kOp),
                bundle.function(entry.as<std::string>(key::kFunction))};
  if (!named.fn || named.index >= named.fn->ops.size())
    entry.fail("names op " + std::to_string(named.index) + " of function '" + named.function +
               "', which does not exist");
  if (named.fn->ops[named.index].device.kind != kind)
    entry.fail("names op " + std::to_string(named.index) + " of '" + named.function +
               "', which is not placed on " + device);
  return named;
}

/// The ReRAM section: each weight is a parameter of the bundle, tiled as the
/// hardware description tiles it; each op reads one as a product can.
ReramSection readReramSection(const hw::bundle::Section &raw, const Bundle &bundle,
                              const std::string &origin) {
  const std::string where = origin + ": section 'reram'";
  json root;
  try {
    root = json::parse(raw.bytes);
  } catch (const json::exception &e) {
    throw Error(where + ": malformed: " + e.what());
  }
  Reader r(root, where);
  if (!bundle.hardware || !bundle.hardware->reram)
    r.fail("the bundle's hardware description has no reram section to tile with");
  const hw::pim::CrossbarGeometry geometry = hw::pim::geometryOf(*bundle.hardware->reram);
  ReramSection section;
  const json &weights = r.get(key::kCrossbars);
  if (!weights.is_array())
    r.fail("field 'crossbars' is not an array");
  std::map<std::string, size_t> byName;
  int64_t nextTile = 0;
  for (size_t i = 0; i < weights.size(); ++i) {
    Reader entry(weights[i], where + ": crossbars[" + std::to_string(i) + "]");
    ReramWeight w;
    w.name = entry.as<std::string>(key::kName);
    w.param = entry.as<std::string>(key::kParam);
    w.transposedParam = entry.as<bool>(key::kTransposedParam);
    w.rows = entry.as<int64_t>(key::kRows);
    w.cols = entry.as<int64_t>(key::kCols);
    w.firstTile = entry.as<int64_t>(key::kFirstTile);
    w.tiles = entry.as<int64_t>(key::kTiles);
    w.crossbars = entry.as<int64_t>(key::kCrossbarCount);
    const ParamSpec *param = nullptr;
    for (const ParamSpec &p : bundle.params)
      if (p.name == w.param)
        param = &p;
    if (!param)
      entry.fail("holds parameter '" + w.param + "', which the bundle does not declare");
    const Shape stored = w.transposedParam ? Shape{param->shape.size() == 2 ? param->shape[1] : 0,
                                                   param->shape[0]}
                                           : param->shape;
    if (param->shape.size() != 2 || stored != Shape{w.rows, w.cols})
      entry.fail("stores a " + std::to_string(w.rows) + "x" + std::to_string(w.cols) +
                 " matrix, but parameter '" + w.param + "' is " + shapeText(param->shape) +
                 (w.transposedParam ? " (transposed)" : ""));
    hw::Expected<hw::pim::WeightTiling> tiling =
        hw::pim::tileWeight(geometry, w.rows, w.cols, entry.where());
    if (!tiling)
      throw Error(tiling.error());
    if (tiling->crossbars != w.crossbars || tiling->tiles != w.tiles || w.firstTile != nextTile)
      entry.fail("its tiling (tiles " + std::to_string(w.firstTile) + " + " +
                 std::to_string(w.tiles) + ", " + std::to_string(w.crossbars) +
                 " crossbars) is not the hardware description's (tiles " +
                 std::to_string(nextTile) + " + " + std::to_string(tiling->tiles) + ", " +
                 std::to_string(tiling->crossbars) + " crossbars)");
    nextTile += w.tiles;
    if (!byName.emplace(w.name, section.weights.size()).second)
      entry.fail("weight '" + w.name + "' is declared twice");
    section.weights.push_back(std::move(w));
  }
  const int64_t capacity = geometry.tilesPerChip * geometry.chips;
  if (nextTile > capacity)
    r.fail("the weights take " + std::to_string(nextTile) + " tiles, but the ReRAM chips of " +
           bundle.hardware->name + " hold " + std::to_string(capacity));
  const json &ops = r.get(key::kOps);
  if (!ops.is_array())
    r.fail("field 'ops' is not an array");
  for (size_t i = 0; i < ops.size(); ++i) {
    Reader entry(ops[i], where + ": ops[" + std::to_string(i) + "]");
    const auto [function, opIndex, fn] = namedOp(entry, bundle, hw::DeviceKind::Reram, "reram");
    const OpSpec &op = fn->ops[opIndex];
    auto weight = byName.find(entry.as<std::string>(key::kCrossbars));
    if (weight == byName.end())
      entry.fail("reads weight '" + entry.as<std::string>(key::kCrossbars) +
                 "', which section 'reram' does not list");
    const std::string read = entry.as<std::string>(key::kRead);
    if (read != "forward" && read != "transposed")
      entry.fail("field 'read' is '" + read + "', not forward or transposed");
    const ReramWeight &w = section.weights[weight->second];
    const bool transposed = read == "transposed";
    // The op's input rows must be as long as the lines its read drives.
    const std::vector<Shape> shapes = valueShapes(*fn);
    if ((op.op != "linear" && op.op != "matmul") || op.operands.size() < 2)
      entry.fail("names a " + op.op + " op; crossbars run hpt.linear and hpt.matmul");
    const auto [vectors, length] = asMatrix(shapes[op.operands[0]]);
    (void)vectors;
    if (length != (transposed ? w.cols : w.rows))
      entry.fail("reads vectors of " + std::to_string(length) + " through '" + w.name +
                 "', whose " + (transposed ? "columns" : "rows") + " number " +
                 std::to_string(transposed ? w.cols : w.rows));
    section.ops[{function, opIndex}] = ReramOp{weight->second, transposed};
  }
  return section;
}

/// Whether a kernel argument of `element` type and `shape` can bind to
/// `bind` of op `op` in `fn` (whose value shapes are `shapes`); "" when it
/// can, else why not.
std::string checkGpuBinding(const GpuKernelArg &arg, const OpSpec &op,
                            const std::vector<Shape> &shapes) {
  auto index = [&](size_t prefix, size_t count) -> std::optional<size_t> {
    const std::string digits = arg.bind.substr(prefix);
    if (digits.empty() || digits.size() > 6 ||
        !std::all_of(digits.begin(), digits.end(), [](unsigned char c) { return std::isdigit(c); }))
      return std::nullopt;
    const size_t i = std::stoul(digits);
    return i < count ? std::optional<size_t>(i) : std::nullopt;
  };
  const bool tensor = arg.element == "f32";
  if (arg.bind.rfind("operand:", 0) == 0 || arg.bind.rfind("result:", 0) == 0) {
    const bool operand = arg.bind[0] == 'o';
    const auto &ids = operand ? op.operands : op.results;
    std::optional<size_t> i = index(operand ? 8 : 7, ids.size());
    if (!i)
      return "binds '" + arg.bind + "', which the op does not have";
    if (!tensor || shapes[ids[*i]] != arg.shape)
      return "binds '" + arg.bind + "' as " + arg.element + " " + shapeText(arg.shape) +
             ", but the op's value is f32 " + shapeText(shapes[ids[*i]]);
    return "";
  }
  if (arg.bind == "param" || arg.bind == "moment1" || arg.bind == "moment2") {
    if (op.op.size() < 7 || op.op.compare(op.op.size() - 7, 7, "_update") != 0)
      return "binds '" + arg.bind + "', but the op is not an optimizer update";
    if (!tensor || op.operands.empty() || shapes[op.operands[0]] != arg.shape)
      return "binds '" + arg.bind + "' as " + arg.element + " " + shapeText(arg.shape) +
             ", not as the parameter's gradient";
    return "";
  }
  if (arg.bind == "workspace")
    return arg.element == "f32" || arg.element == "f64" ? "" : "has a workspace of " + arg.element;
  if (arg.bind.rfind("scalar:", 0) == 0 && arg.bind.size() > 7)
    return arg.shape.empty() && (arg.element == "f32" || arg.element == "i64" || arg.element == "i32")
               ? ""
               : "has a scalar of " + arg.element + " " + shapeText(arg.shape);
  return "binds '" + arg.bind + "', which is no binding hpt-run knows";
}

/// The GPU section: kernels whose launches name entries of the PTX, ops
/// placed on the gpu whose kernel arguments fit them, cubins where listed.
GpuSection readGpuSection(const std::vector<hw::bundle::Section> &sections, const Bundle &bundle,
                          const std::string &origin) {
  const std::string where = origin + ": section 'gpu'";
  const hw::bundle::Section *raw = sectionNamed(sections, hw::bundle::kGpu);
  const hw::bundle::Section *ptx = sectionNamed(sections, hw::bundle::kGpuPtx);
  if (!ptx)
    throw Error(where + ": comes without section 'gpu.ptx'");
  json root;
  try {
    root = json::parse(raw->bytes);
  } catch (const json::exception &e) {
    throw Error(where + ": malformed: " + e.what());
  }
  Reader r(root, where);
  GpuSection section;
  section.ptxTarget = r.as<std::string>(key::kPtxTarget);
  section.ptx = ptx->bytes;
  const json &cubins = r.get(key::kCubins);
  if (!cubins.is_array())
    r.fail("field 'cubins' is not an array");
  for (const json &arch : cubins) {
    const std::string name = arch.is_string() ? arch.get<std::string>() : "";
    const hw::bundle::Section *cubin =
        sectionNamed(sections, (hw::bundle::kGpuCubinPrefix + name).c_str());
    if (!cubin || cubin->bytes.compare(0, 4, "\x7f" "ELF") != 0)
      r.fail("lists cubin '" + name + "', but section 'gpu.cubin." + name + "' is not an ELF file");
    section.cubins[name] = cubin->bytes;
  }
  const json &kernels = r.get(key::kKernels);
  if (!kernels.is_array())
    r.fail("field 'kernels' is not an array");
  std::map<std::string, size_t> byName;
  for (size_t i = 0; i < kernels.size(); ++i) {
    Reader entry(kernels[i], where + ": kernels[" + std::to_string(i) + "]");
    GpuKernelSpec kernel;
    kernel.name = entry.as<std::string>(key::kName);
    const json &args = entry.get(key::kArgs);
    if (!args.is_array())
      entry.fail("field 'args' is not an array");
    for (size_t a = 0; a < args.size(); ++a) {
      Reader arg(args[a], entry.where() + ": args[" + std::to_string(a) + "]");
      kernel.args.push_back({arg.as<std::string>(key::kBind), arg.as<std::string>(key::kElement),
                             arg.as<std::vector<int64_t>>(key::kShape)});
    }
    const json &launches = entry.get(key::kLaunches);
    if (!launches.is_array() || launches.empty())
      entry.fail("field 'launches' is not a non-empty array");
    for (size_t l = 0; l < launches.size(); ++l) {
      Reader launch(launches[l], entry.where() + ": launches[" + std::to_string(l) + "]");
      hw::gpu::Launch spec{launch.as<std::string>(key::kEntry), launch.as<int64_t>(key::kGrid),
                           launch.as<int64_t>(key::kBlock)};
      if (spec.grid < 1 || spec.grid > INT32_MAX || spec.block < 1 || spec.block > 1024)
        launch.fail("launches " + std::to_string(spec.grid) + " blocks of " +
                    std::to_string(spec.block) + " threads (1..2^31-1 blocks of 1..1024)");
      if (section.ptx.find(".entry " + spec.entry + "(") == std::string::npos)
        launch.fail("launches '" + spec.entry + "', which the PTX does not define");
      kernel.launches.push_back(std::move(spec));
    }
    if (!byName.emplace(kernel.name, section.kernels.size()).second)
      entry.fail("kernel '" + kernel.name + "' is declared twice");
    section.kernels.push_back(std::move(kernel));
  }
  const json &ops = r.get(key::kOps);
  if (!ops.is_array())
    r.fail("field 'ops' is not an array");
  for (size_t i = 0; i < ops.size(); ++i) {
    Reader entry(ops[i], where + ": ops[" + std::to_string(i) + "]");
    const auto [function, opIndex, fn] = namedOp(entry, bundle, hw::DeviceKind::Gpu, "the gpu");
    const OpSpec &op = fn->ops[opIndex];
    GpuOp run;
    if (entry.has(key::kLibrary)) {
      if (entry.as<std::string>(key::kLibrary) != "cublas" ||
          (op.op != "linear" && op.op != "matmul" && op.op != "batch_matmul"))
        entry.fail("calls library '" + entry.as<std::string>(key::kLibrary) + "' for a " + op.op +
                   " op (cublas runs linear, matmul and batch_matmul)");
      run.library = true;
    }
    if (entry.has(key::kKernel)) {
      auto kernel = byName.find(entry.as<std::string>(key::kKernel));
      if (kernel == byName.end())
        entry.fail("runs kernel '" + entry.as<std::string>(key::kKernel) +
                   "', which section 'gpu' does not list");
      const std::vector<Shape> shapes = valueShapes(*fn);
      for (const GpuKernelArg &arg : section.kernels[kernel->second].args)
        if (std::string why = checkGpuBinding(arg, op, shapes); !why.empty())
          entry.fail("kernel '" + kernel->first + "' " + why);
      run.kernel = kernel->second;
    }
    if (!run.kernel && !run.library)
      entry.fail("names neither a kernel nor a library");
    section.ops[{function, opIndex}] = run;
  }
  // Every GPU op with work to do is in the section: aliases and learning
  // rates have none.
  for (const FunctionSpec &fn : bundle.functions)
    for (size_t i = 0; i < fn.ops.size(); ++i) {
      const OpSpec &op = fn.ops[i];
      if (op.device.kind == hw::DeviceKind::Gpu && !section.find(fn.name, i) &&
          op.op != "get_param" && op.op != "reshape" && op.op != "constant_lr" && op.op != "step_lr")
        throw Error(where + ": function '" + fn.name + "': ops[" + std::to_string(i) + "] (" +
                    op.op + ") is placed on the gpu, but the section does not say what runs it");
    }
  return section;
}

/// Every op placed off the host names a device and instance the bundle's
/// description has, and one hpt-run can run.
void checkPlacements(const Bundle &bundle) {
  for (const FunctionSpec &fn : bundle.functions)
    for (size_t i = 0; i < fn.ops.size(); ++i) {
      const OpSpec &op = fn.ops[i];
      if (op.device.kind == hw::DeviceKind::Host && !op.device.instance)
        continue;
      const std::string where = bundle.path + ": function '" + fn.name + "': ops[" +
                                std::to_string(i) + "] (" + op.op +
                                (op.loc.empty() ? "" : " at " + op.loc) + ")";
      const char *kind = hw::name(op.device.kind);
      if (!bundle.hardware)
        throw Error(where + ": placed on " + kind +
                    ", but the bundle carries no hardware description");
      uint32_t count = bundle.hardware->instances(op.device.kind);
      if (count == 0)
        throw Error(where + ": placed on " + kind + ", which the bundle's hardware "
                    "description (" + bundle.hardware->name + ") does not have");
      if (op.device.instance && *op.device.instance >= count)
        throw Error(where + ": placed on " + kind + " instance " +
                    std::to_string(*op.device.instance) + ", but the description has " +
                    std::to_string(count));
      if (op.device.kind == hw::DeviceKind::Systolic && !bundle.systolic.find(fn.name, i))
        throw Error(where + ": placed on systolic, but the systolic section has no stream "
                            "for it");
      if (op.device.kind == hw::DeviceKind::Reram && !bundle.reram.find(fn.name, i))
        throw Error(where + ": placed on reram, but the reram section does not say which "
                            "crossbars it reads (run hpt-crossbar-tile)");
    }
}
} // namespace

Bundle parseBundle(const std::string &text, const std::string &origin) {
  std::vector<hw::bundle::Section> sections = orThrow(hw::bundle::read(text, origin));
  const std::string &payload = sectionNamed(sections, hw::bundle::kProgram)->bytes;
  json root;
  try {
    root = json::parse(payload);
  } catch (const json::exception &e) { // parse_error, and out_of_range for 1e999
    throw Error(origin + ": malformed program section: " + e.what());
  }
  Reader r(root, origin);
  if (r.as<std::string>(key::kFormat) != "hpt-bundle" ||
      r.as<int64_t>(key::kVersion) != hw::bundle::kVersion)
    r.fail("the program section is not an hpt-bundle of version " +
           std::to_string(hw::bundle::kVersion));

  Bundle bundle;
  bundle.path = origin;
  bundle.checksum = hw::bundle::checksum(sections);
  std::set<std::string> paramNames;
  const json &params = r.get(key::kParams);
  if (!params.is_array())
    r.fail("field 'params' is not an array");
  for (size_t i = 0; i < params.size(); ++i) {
    bundle.params.push_back(readParam(params[i], origin, i));
    if (!paramNames.insert(bundle.params.back().name).second)
      r.fail("parameter '" + bundle.params.back().name + "' is declared twice");
  }
  const json &functions = r.get(key::kFunctions);
  if (!functions.is_array())
    r.fail("field 'functions' is not an array");
  for (size_t i = 0; i < functions.size(); ++i)
    bundle.functions.push_back(
        readFunction(functions[i], origin, i, paramNames, payload.size()));
  const json &programs = r.get(key::kPrograms);
  if (!programs.is_array())
    r.fail("field 'programs' is not an array");
  for (size_t i = 0; i < programs.size(); ++i)
    bundle.programs.push_back(readProgram(programs[i], origin, i, paramNames, bundle));
  if (const hw::bundle::Section *hardware = sectionNamed(sections, hw::bundle::kHardware))
    bundle.hardware =
        orThrow(hw::parseDescription(hardware->bytes, origin + ": section 'hardware'"));
  if (const hw::bundle::Section *index = sectionNamed(sections, hw::bundle::kSystolic))
    bundle.systolic = readSystolicSection(
        *index, sectionNamed(sections, hw::bundle::kSystolicStreams), bundle, origin);
  else if (sectionNamed(sections, hw::bundle::kSystolicStreams))
    throw Error(origin + ": section 'systolic.streams' comes without section 'systolic'");
  if (const hw::bundle::Section *reram = sectionNamed(sections, hw::bundle::kReram))
    bundle.reram = readReramSection(*reram, bundle, origin);
  if (sectionNamed(sections, hw::bundle::kGpu))
    bundle.gpu = readGpuSection(sections, bundle, origin);
  else if (sectionNamed(sections, hw::bundle::kGpuPtx))
    throw Error(origin + ": section 'gpu.ptx' comes without section 'gpu'");
  checkPlacements(bundle);
  bundle.sections = std::move(sections);
  return bundle;
}

uint64_t parameterBytes(const Bundle &bundle) {
  uint64_t bytes = 0;
  for (const ParamSpec &param : bundle.params) {
    std::optional<uint64_t> size =
        checkedMul(static_cast<uint64_t>(numElements(param.shape)), sizeof(float));
    std::optional<uint64_t> total = size ? checkedAdd(bytes, *size) : std::nullopt;
    if (!total)
      return UINT64_MAX;
    bytes = *total;
  }
  return bytes;
}

Bundle loadBundle(const std::string &path, const MemoryLimit &limit) {
  Bundle bundle = parseBundle(readFile(path), path);
  limit.check(parameterBytes(bundle), path + ": the parameters");
  return bundle;
}

} // namespace hpt::rt
