//===- Bundle.cpp - reading hpt-translate's bundles -----------------------===//

#include "runtime/core/Bundle.h"

#include "hardware/Checksum.h"
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

using hw::checksumHex;
using hw::fnv1a64;
using hw::parseChecksum;

int64_t numElements(const Shape &shape) {
  std::optional<int64_t> count = checkedProduct(shape);
  if (!count)
    throw Error("shape " + shapeText(shape) + " has more elements than fit 64 bits");
  return *count;
}

std::string bundleHeader(std::string_view payload) {
  return "HPTBUNDLE " + std::to_string(kBundleVersion) + " " + std::to_string(payload.size()) +
         " " + checksumHex(fnv1a64(payload)) + "\n";
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

Bundle parseBundle(const std::string &text, const std::string &origin) {
  size_t newline = text.find('\n');
  std::istringstream header(text.substr(0, newline));
  std::string magic, checksumHex;
  int version = 0;
  size_t size = 0;
  if (newline == std::string::npos || !(header >> magic >> version >> size >> checksumHex) ||
      magic != "HPTBUNDLE")
    throw Error(origin + ": not an hpt bundle (no 'HPTBUNDLE <version> <size> "
                         "<checksum>' header line)");
  if (version != kBundleVersion)
    throw Error(origin + ": bundle version " + std::to_string(version) +
                " is not supported (this hpt-run reads version " +
                std::to_string(kBundleVersion) + "); recompile the model");
  std::string payload = text.substr(newline + 1);
  if (payload.size() != size)
    throw Error(origin + ": truncated or padded: the header announces " +
                std::to_string(size) + " payload bytes, the file has " +
                std::to_string(payload.size()));
  uint64_t checksum = fnv1a64(payload), announced = 0;
  if (!parseChecksum(checksumHex, announced) || announced != checksum)
    throw Error(origin + ": corrupt: the payload's checksum does not match the header");

  json root;
  try {
    root = json::parse(payload);
  } catch (const json::exception &e) { // parse_error, and out_of_range for 1e999
    throw Error(origin + ": malformed payload: " + e.what());
  }
  Reader r(root, origin);
  if (r.as<std::string>("format") != "hpt-bundle" || r.as<int64_t>("version") != version)
    r.fail("payload is not an hpt-bundle of the header's version");

  Bundle bundle;
  bundle.path = origin;
  bundle.checksum = checksum;
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
