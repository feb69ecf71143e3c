//===- Bundle.cpp - reading hpt-translate's bundles -----------------------===//

#include "runtime/core/Bundle.h"

#include "hardware/Checksum.h"
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
  param.name = r.as<std::string>("name");
  param.shape = r.shape(r.get("shape"), "shape");
  param.init = r.as<std::string>("init");
  param.fanIn = r.as<int64_t>("fan_in");
  param.seed = r.as<uint64_t>("seed");
  param.trainable = r.as<bool>("trainable");
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
  op.op = r.as<std::string>("op");
  op.operands = r.as<std::vector<int64_t>>("operands");
  op.results = r.as<std::vector<int64_t>>("results");
  op.attrs = r.get("attrs");
  op.loc = r.as<std::string>("loc");
  if (!op.attrs.is_object())
    r.fail("field 'attrs' is not an object");
  where += " (" + op.op + (op.loc.empty() ? "" : " at " + op.loc) + ")";
  const json &shapes = r.get("shapes");
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
  if (entry.contains("device")) {
    Reader device(entry["device"], r.where() + ": device");
    if (!hw::fromName(device.as<std::string>("kind"), op.device.kind))
      device.fail("kind '" + device.as<std::string>("kind") +
                  "' is not a device (host, systolic, reram, gpu)");
    if (entry["device"].contains("instance")) {
      int64_t instance = device.as<int64_t>("instance");
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
  fn.name = r.as<std::string>("name");
  Reader named(entry, origin + ": function '" + fn.name + "'");
  fn.values = named.as<int64_t>("values");
  // Each value is named at least once in the text, so a count beyond its size
  // is a damaged file, not a reason to allocate.
  if (fn.values < 0 || static_cast<uint64_t>(fn.values) > payloadBytes)
    named.fail("field 'values' (" + std::to_string(fn.values) +
               ") is not a plausible number of values");
  Definitions defs(fn.values, named);
  const json &args = named.get("args");
  if (!args.is_array())
    named.fail("field 'args' is not an array");
  for (size_t i = 0; i < args.size(); ++i) {
    fn.args.push_back(named.shape(args[i], "argument " + std::to_string(i)));
    defs.define(static_cast<int64_t>(i), "argument " + std::to_string(i));
  }
  const json &ops = named.get("ops");
  if (!ops.is_array())
    named.fail("field 'ops' is not an array");
  for (size_t i = 0; i < ops.size(); ++i)
    fn.ops.push_back(readOp(ops[i], named, i, defs, paramNames));
  fn.returns = named.as<std::vector<int64_t>>("returns");
  for (int64_t id : fn.returns)
    defs.use(id, "return");
  return fn;
}

LoraSpec readLora(const Reader &program, const std::set<std::string> &paramNames,
                  const Bundle &bundle) {
  Reader r(program.get("lora"), program.where() + ": lora");
  LoraSpec lora;
  lora.rank = r.as<int64_t>("rank");
  lora.alpha = r.as<double>("alpha");
  lora.dropout = r.as<double>("dropout");
  lora.base = r.as<std::string>("base");
  if (lora.rank <= 0 || !(lora.alpha > 0) || !(lora.dropout >= 0 && lora.dropout < 1))
    r.fail("needs a positive rank and alpha and a dropout in [0, 1)");
  if (!bundle.function(lora.base))
    r.fail("base '" + lora.base + "' is not a function of the bundle");
  const json &adapters = r.get("adapters");
  if (!adapters.is_array())
    r.fail("field 'adapters' is not an array");
  for (size_t i = 0; i < adapters.size(); ++i) {
    Reader a(adapters[i], r.where() + ": adapters[" + std::to_string(i) + "]");
    AdapterSpec adapter{a.as<std::string>("target"), a.as<std::string>("a"),
                        a.as<std::string>("b")};
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
  program.train = r.as<std::string>("train");
  program.eval = r.as<std::string>("eval");
  for (const std::string *name : {&program.train, &program.eval})
    if (!bundle.function(*name))
      r.fail("'" + *name + "' is not a function of the bundle");
  if (entry.contains("lora"))
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

std::vector<systolic::Stream> readStreams(const json &table, const std::string &blob,
                                          const Reader &index, const std::string &origin) {
  if (!table.is_array())
    index.fail("field 'streams' is not an array");
  std::vector<systolic::Stream> streams;
  for (size_t i = 0; i < table.size(); ++i) {
    Reader entry(table[i], index.where() + ": streams[" + std::to_string(i) + "]");
    uint64_t offset = entry.as<uint64_t>("offset"), bytes = entry.as<uint64_t>("bytes");
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
    streams.push_back(std::move(stream));
  }
  return streams;
}

/// The DRAM words of each region of a stream (its first CONFIG's).
const uint64_t *regionWords(const systolic::Stream &stream) {
  return stream.instructions.front().dramWords;
}

/// `shapes`: the shape of every value of the op's function.
SystolicOp readSystolicOp(const Reader &entry, const std::vector<Shape> &shapes,
                          const OpSpec &op, const std::vector<systolic::Stream> &streams) {
  SystolicOp result;
  result.stream = entry.as<uint64_t>("stream");
  if (result.stream >= streams.size())
    entry.fail("stream " + std::to_string(result.stream) + " does not exist");
  const json &bindings = entry.get("bindings");
  if (!bindings.is_array())
    entry.fail("field 'bindings' is not an array");
  const uint64_t *words = regionWords(streams[result.stream]);
  for (size_t i = 0; i < bindings.size(); ++i) {
    Reader b(bindings[i], entry.where() + ": bindings[" + std::to_string(i) + "]");
    DramBinding binding;
    if (!systolic::fromName(b.as<std::string>("region"), binding.region))
      b.fail("region '" + b.as<std::string>("region") + "' is not ifmap, filter or ofmap");
    binding.offset = b.as<uint64_t>("offset");
    binding.value = b.as<int64_t>("value");
    binding.output = b.as<bool>("output");
    binding.transpose = b.as<bool>("transpose");
    const std::vector<int64_t> &own = binding.output ? op.results : op.operands;
    if (std::find(own.begin(), own.end(), binding.value) == own.end())
      b.fail("value " + std::to_string(binding.value) + " is not " +
             (binding.output ? "a result" : "an operand") + " of the op");
    const Shape &shape = shapes[binding.value];
    uint64_t elements = static_cast<uint64_t>(numElements(shape));
    uint64_t region = words[static_cast<int>(binding.region)];
    if (binding.offset > region || elements > region - binding.offset)
      b.fail("value " + std::to_string(binding.value) + " " + shapeText(shape) +
             " at offset " + std::to_string(binding.offset) + " does not fit the " +
             systolic::name(binding.region) + " region of its stream (" +
             std::to_string(region) + " words): the stream does not match its tensors");
    if (binding.transpose && shape.size() < 2)
      b.fail("a transposed binding needs a tensor of rank 2 or more");
    result.bindings.push_back(binding);
  }
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
  section.streams = readStreams(r.get("streams"), streamsSection->bytes, r, origin);
  const json &ops = r.get("ops");
  if (!ops.is_array())
    r.fail("field 'ops' is not an array");
  std::map<const FunctionSpec *, std::vector<Shape>> shapesOf; // computed once per function
  for (size_t i = 0; i < ops.size(); ++i) {
    Reader entry(ops[i], where + ": ops[" + std::to_string(i) + "]");
    std::string function = entry.as<std::string>("function");
    uint64_t opIndex = entry.as<uint64_t>("op");
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
    section.ops[{function, opIndex}] = readSystolicOp(entry, shapes->second, op, section.streams);
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
      if (op.device.kind == hw::DeviceKind::Gpu || op.device.kind == hw::DeviceKind::Reram)
        throw Error(where + ": placed on " + kind + ", which hpt-run cannot run yet");
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
  if (r.as<std::string>("format") != "hpt-bundle" ||
      r.as<int64_t>("version") != hw::bundle::kVersion)
    r.fail("the program section is not an hpt-bundle of version " +
           std::to_string(hw::bundle::kVersion));

  Bundle bundle;
  bundle.path = origin;
  bundle.checksum = hw::bundle::checksum(sections);
  std::set<std::string> paramNames;
  const json &params = r.get("params");
  if (!params.is_array())
    r.fail("field 'params' is not an array");
  for (size_t i = 0; i < params.size(); ++i) {
    bundle.params.push_back(readParam(params[i], origin, i));
    if (!paramNames.insert(bundle.params.back().name).second)
      r.fail("parameter '" + bundle.params.back().name + "' is declared twice");
  }
  const json &functions = r.get("functions");
  if (!functions.is_array())
    r.fail("field 'functions' is not an array");
  for (size_t i = 0; i < functions.size(); ++i)
    bundle.functions.push_back(
        readFunction(functions[i], origin, i, paramNames, payload.size()));
  const json &programs = r.get("programs");
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
