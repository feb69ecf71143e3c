//===- Program.cpp - executing a bundle function on the host --------------===//

#include "runtime/core/Program.h"

#include "runtime/core/Error.h"
#include "runtime/core/Json.h"
#include "runtime/host/Attention.h"
#include "runtime/host/Kernels.h"
#include "runtime/host/Rng.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <set>

using nlohmann::json;

namespace hpt::rt {

//===----------------------------------------------------------------------===//
// ParamStore
//===----------------------------------------------------------------------===//

void resetParam(ParamEntry &entry) {
  const ParamSpec &spec = entry.spec;
  std::vector<float> &value = entry.mutableValue();
  value.assign(numElements(spec.shape), spec.init == "ones" ? 1.0f : 0.0f);
  if (spec.init == "uniform_fan_in") {
    float bound = static_cast<float>(1.0 / std::sqrt(static_cast<double>(spec.fanIn)));
    fillUniform(value.data(), value.size(), -bound, bound, spec.seed,
                /*stream=*/0);
  }
  entry.moment1().clear();
  entry.moment2().clear();
  entry.updates = 0;
}

void ParamEntry::catchUp() const {
  if (!pending)
    return;
  // The accessors are const for readers; the copy brings the host's buffers
  // up to the value they stand for, which every reader must see.
  auto &self = const_cast<ParamEntry &>(*this);
  CopyBack copyBack = std::move(self.pending);
  self.pending = nullptr;
  copyBack(self.values.data(), self.firstMoment.empty() ? nullptr : self.firstMoment.data(),
           self.secondMoment.empty() ? nullptr : self.secondMoment.data());
}

void ParamEntry::updateOnDevice(int moments) {
  ++writeCount;
  if (moments >= 1 && firstMoment.empty())
    firstMoment.assign(values.size(), 0.0f);
  if (moments >= 2 && secondMoment.empty())
    secondMoment.assign(values.size(), 0.0f);
}

ParamStore::ParamStore(const Bundle &bundle) {
  for (const ParamSpec &spec : bundle.params) {
    ParamEntry entry;
    entry.spec = spec;
    resetParam(entry);
    index[spec.name] = params.size();
    params.push_back(std::move(entry));
  }
}

ParamEntry &ParamStore::at(const std::string &name) {
  auto it = index.find(name);
  if (it == index.end())
    throw Error("no parameter '" + name + "'");
  return params[it->second];
}

//===----------------------------------------------------------------------===//
// Instructions
//===----------------------------------------------------------------------===//

namespace {
enum class Kind {
  GetParam, Linear, Matmul, BatchMatmul, LayerNorm, LayerNormGrad, Softmax,
  SoftmaxGrad, Relu, ReluGrad, Gelu, GeluGrad, Scale, Dropout,
  PositionalEncoding, Add, Concat, Reshape, Transpose, Slice, MseLoss,
  MseLossGrad, ReduceRows, ConstantLr, StepLr, SgdUpdate, AdamUpdate,
  AdamWUpdate, SelfAttention
};

/// A parameter read or a reshape: names storage, computes nothing.
bool isAlias(Kind kind) { return kind == Kind::GetParam || kind == Kind::Reshape; }

const std::map<std::string, Kind> &kindsByName() {
  static const std::map<std::string, Kind> kinds = {
      {"get_param", Kind::GetParam}, {"linear", Kind::Linear},
      {"matmul", Kind::Matmul}, {"batch_matmul", Kind::BatchMatmul},
      {"layer_norm", Kind::LayerNorm}, {"layer_norm_grad", Kind::LayerNormGrad},
      {"softmax", Kind::Softmax}, {"softmax_grad", Kind::SoftmaxGrad},
      {"relu", Kind::Relu}, {"relu_grad", Kind::ReluGrad}, {"gelu", Kind::Gelu},
      {"gelu_grad", Kind::GeluGrad}, {"scale", Kind::Scale},
      {"dropout", Kind::Dropout}, {"positional_encoding", Kind::PositionalEncoding},
      {"add", Kind::Add}, {"concat", Kind::Concat}, {"reshape", Kind::Reshape},
      {"transpose", Kind::Transpose}, {"slice", Kind::Slice},
      {"mse_loss", Kind::MseLoss}, {"mse_loss_grad", Kind::MseLossGrad},
      {"reduce_rows", Kind::ReduceRows}, {"constant_lr", Kind::ConstantLr},
      {"step_lr", Kind::StepLr}, {"sgd_update", Kind::SgdUpdate},
      {"adam_update", Kind::AdamUpdate}, {"adamw_update", Kind::AdamWUpdate},
      {"self_attention", Kind::SelfAttention}};
  return kinds;
}

/// One kernel call with its operands resolved and attributes decoded.
struct Instr {
  Kind kind;
  std::vector<int64_t> in, out;
  std::vector<Shape> inShapes, outShapes;
  double x[4] = {0, 0, 0, 0}; ///< float attributes, meaning per kind
  int64_t n[3] = {0, 0, 0};   ///< integer attributes / derived sizes
  int64_t batch = 1;          ///< independent products of a (batch) matmul
  bool flag = false;          ///< transpose_lhs, tanh GELU or Nesterov, per kind
  bool transposeRhs = false;
  std::vector<int64_t> sizes; ///< transpose: the permutation; concat: axis sizes
  ParamEntry *param = nullptr;
  int64_t frozen = -1; ///< index of the packed weight it reads (Program::Impl::frozen)
  size_t index = 0;    ///< in the function's ops
  Device *device = nullptr; ///< null: the host
  bool computedThere = false; ///< the device computes it (else the host does)
  bool readOnHost = true; ///< a parameter read: something reads the host's buffer
  std::string where; ///< "op at file:line:col", for errors
  std::string name;  ///< the op's name, for profiles
};

/// The state buffers an optimizer update keeps: Adam's two moments, SGD's
/// momentum buffer when it has momentum, else none.
int momentsKept(const Instr &in) {
  if (in.kind == Kind::AdamUpdate || in.kind == Kind::AdamWUpdate)
    return 2;
  return in.kind == Kind::SgdUpdate && in.x[0] != 0 ? 1 : 0;
}

/// [outer, axis, inner] view of `shape` around `axis` (negative from the back).
void splitAround(const Shape &shape, int64_t axis, int64_t &outer, int64_t &mid,
                 int64_t &inner) {
  int64_t rank = shape.size();
  axis = axis < 0 ? axis + rank : axis;
  outer = 1;
  inner = 1;
  for (int64_t i = 0; i < axis; ++i)
    outer *= shape[i];
  mid = shape[axis];
  for (int64_t i = axis + 1; i < rank; ++i)
    inner *= shape[i];
}

class Decoder {
public:
  explicit Decoder(const OpSpec &op) : op(op) {}

  [[noreturn]] void fail(const std::string &what) const {
    throw Error(where() + ": " + what);
  }

  std::string where() const {
    return "'hpt." + op.op + "'" + (op.loc.empty() ? "" : " at " + op.loc);
  }

  void arity(size_t operands, size_t results) const {
    if (op.operands.size() != operands || op.results.size() != results)
      fail("expects " + std::to_string(operands) + " operands and " +
           std::to_string(results) + " results");
  }

  double number(const char *key) const {
    auto it = op.attrs.find(key);
    if (it == op.attrs.end() || !it->is_number())
      fail(std::string("needs a numeric attribute '") + key + "'");
    return it->get<double>();
  }

  int64_t integer(const char *key) const {
    auto it = op.attrs.find(key);
    std::optional<int64_t> value = it == op.attrs.end() ? std::nullopt : jsonInt64(*it);
    if (!value)
      fail(std::string("needs an integer attribute '") + key + "'");
    return *value;
  }

  /// The integer attribute 'axis' of an operand of rank `rank`, counted
  /// from the back when negative.
  int64_t axis(size_t rank) const {
    int64_t axis = integer("axis"), r = static_cast<int64_t>(rank);
    if (axis < -r || axis >= r)
      fail("axis " + std::to_string(axis) + " is outside rank " + std::to_string(r));
    return axis;
  }

  bool has(const char *key) const { return op.attrs.contains(key); }

  std::string text(const char *key, const std::string &fallback) const {
    auto it = op.attrs.find(key);
    return it != op.attrs.end() && it->is_string() ? it->get<std::string>() : fallback;
  }

private:
  const OpSpec &op;
};

constexpr int64_t kNever = std::numeric_limits<int64_t>::max();

/// Bytes of a pooled buffer of `count` floats: 64-byte aligned and rounded
/// up to whole cache lines (nothing when that overflows).
std::optional<uint64_t> bufferBytes(int64_t count) {
  std::optional<uint64_t> bytes = checkedMul(std::max<int64_t>(count, 1), sizeof(float));
  std::optional<uint64_t> padded = bytes ? checkedAdd(*bytes, 63) : std::nullopt;
  return padded ? std::optional<uint64_t>(*padded / 64 * 64) : std::nullopt;
}
} // namespace

//===----------------------------------------------------------------------===//
// Program
//===----------------------------------------------------------------------===//

/// A weight that a training program reads as a product's B but never updates
/// (a base weight in the LoRA phase). It is packed for the panel kernel once,
/// and again only when something else writes the parameter (a checkpoint, the
/// clone at the switch), so the step does not repack it as a BLAS call would.
struct FrozenOperand {
  const ParamEntry *param = nullptr;
  bool transposed = false; ///< the parameter holds op(B) transposed ([n, k])
  int64_t depth = 0, columns = 0;
  uint64_t packedAt = UINT64_MAX; ///< the parameter's writes() when packed
  PackedPanels panels;

  /// The packed weight, packed again first if the parameter was written
  /// since.
  const PackedPanels &current() {
    if (packedAt != param->writes()) {
      panels.pack(param->value().data(), transposed ? depth : columns, transposed, depth,
                  columns);
      packedAt = param->writes();
    }
    return panels;
  }
  uint64_t bytes() const { return PackedPanels::bytesFor(depth, columns); }
  /// The same parameter read in the same orientation (its shape fixes the rest).
  bool sameAs(const FrozenOperand &other) const {
    return param == other.param && transposed == other.transposed;
  }
};

struct Program::Impl {
  const Bundle *bundle = nullptr;
  const FunctionSpec *fn = nullptr;
  ParamStore *params = nullptr;
  Mode mode;
  std::vector<Instr> code;
  std::vector<Shape> shapes;      ///< per value
  std::vector<int64_t> root;      ///< storage owner of each value (aliases)
  std::vector<bool> owned;        ///< per root: lives in a pooled buffer
  std::vector<std::vector<int64_t>> releaseAfter; ///< roots freed after instr i
  std::vector<Shape> resultShapes;
  std::vector<float *> ptr;       ///< per value, during a run
  std::multimap<int64_t, float *> freeBuffers;
  std::vector<float *> allBuffers;
  std::vector<std::pair<int64_t, float *>> heldByResults; ///< (elements, buffer)
  std::vector<FrozenOperand> frozen;
  std::vector<float> scratch; ///< workspace of fused kernels
  int64_t workspace = 0;      ///< elements of scratch the program needs
  bool profiling = false;
  std::vector<OpRecord> records;
  DeviceSet *devices = nullptr;
  std::optional<hw::DeviceKind> everyOpOn;
  // For devices that keep tensors in their own memory (Residency).
  std::vector<const ParamEntry *> paramOfStorage;
  std::vector<uint8_t> readElsewhere, readElsewhereWithGradients;
  const Residency *residency = nullptr; ///< during a run
  Device *unfinished = nullptr;         ///< the device whose work may be in flight

  hw::Placement placementOf(const OpSpec &op) const {
    return everyOpOn ? hw::Placement{*everyOpOn, std::nullopt} : op.device;
  }

  ~Impl() {
    for (float *buffer : allBuffers)
      std::free(buffer);
  }

  std::vector<float> noise; ///< dropout's noise for a device, reused
  float *acquire(int64_t count) {
    auto it = freeBuffers.find(count);
    if (it != freeBuffers.end()) {
      float *buffer = it->second;
      freeBuffers.erase(it);
      return buffer;
    }
    size_t bytes = *bufferBytes(count); // compile() checked the pool's total
    auto *buffer = static_cast<float *>(std::aligned_alloc(64, bytes));
    if (!buffer)
      throw Error("out of memory allocating " + std::to_string(bytes) + " bytes");
    allBuffers.push_back(buffer);
    return buffer;
  }

  void compile(const MemoryLimit &limit);
  Device *deviceFor(const OpSpec &op, const Instr &instr) const;
  void executeOn(const Instr &instr, const TrainingState &state,
                 const std::function<void(const ParamEntry &, const float *)> &hook);
  void hostWork(const Instr &instr, OpRecord &record) const;
  Instr decode(const OpSpec &op);
  void planStorage();
  void planResidency();
  void planFrozenOperands();
  void settle(const Device *next);
  uint64_t frozenBytes() const;
  uint64_t pooledBytes() const;
  uint64_t optimizerStateBytes() const;
  const float *dropoutNoiseFor(const Instr &instr, const TrainingState &state);
  OptimizerStep beginUpdate(const Instr &instr,
                            const std::function<void(const ParamEntry &, const float *)> &hook,
                            bool onDeviceCopy);
  void execute(const Instr &instr, const TrainingState &state,
               const std::function<void(const ParamEntry &, const float *)> &hook);
};

Instr Program::Impl::decode(const OpSpec &op) {
  Decoder d(op);
  auto kind = kindsByName().find(op.op);
  if (kind == kindsByName().end())
    d.fail("is not an op hpt-run can execute");
  Instr in;
  in.kind = kind->second;
  in.in = op.operands;
  in.out = op.results;
  in.outShapes = op.shapes;
  in.where = d.where();
  in.name = op.op;
  for (int64_t id : op.operands)
    in.inShapes.push_back(shapes[id]);
  // Every size a kernel reads or writes is checked here, so that no bundle,
  // however damaged, makes a kernel step outside its buffers.
  auto elements = [&](size_t i) { return numElements(in.inShapes[i]); };
  auto resultElements = [&](size_t i) { return numElements(op.shapes[i]); };
  auto sameCount = [&](size_t a, size_t b) {
    if (elements(a) != elements(b))
      d.fail("operands " + std::to_string(a) + " and " + std::to_string(b) +
             " differ in size");
  };
  auto resultHolds = [&](size_t i, int64_t count) {
    if (resultElements(i) != count)
      d.fail("result " + std::to_string(i) + " " + shapeText(op.shapes[i]) + " should hold " +
             std::to_string(count) + " elements");
  };
  auto lastAxis = [&](size_t i) {
    if (in.inShapes[i].empty())
      d.fail("operand " + std::to_string(i) + " needs rank >= 1");
    return in.inShapes[i].back();
  };
  // [rows, d] view of operand i around its last axis.
  auto rowsOf = [&](size_t i) {
    Shape leading = in.inShapes[i];
    leading.pop_back();
    return numElements(leading);
  };
  switch (in.kind) {
  case Kind::GetParam:
    d.arity(0, 1);
    in.param = &params->at(d.text("name", ""));
    if (in.param->spec.shape != op.shapes[0])
      d.fail("reads parameter '" + in.param->spec.name + "' of shape " +
             shapeText(in.param->spec.shape) + " as " + shapeText(op.shapes[0]));
    break;
  case Kind::Linear: {
    if (op.operands.size() < 2 || op.operands.size() > 3 || op.results.size() != 1)
      d.fail("expects 2 or 3 operands and 1 result");
    const Shape &w = in.inShapes[1];
    if (w.size() != 2 || in.inShapes[0].empty() || in.inShapes[0].back() != w[1])
      d.fail("input " + shapeText(in.inShapes[0]) + " does not fit weight " + shapeText(w));
    if (op.operands.size() == 3 && elements(2) != w[0])
      d.fail("bias has " + std::to_string(elements(2)) + " elements, the weight " +
             std::to_string(w[0]) + " outputs");
    in.n[0] = rowsOf(0); // rows
    in.n[1] = w[1];      // in
    in.n[2] = w[0];      // out
    resultHolds(0, numElements({in.n[0], in.n[2]}));
    break;
  }
  case Kind::Matmul:
  case Kind::BatchMatmul: {
    d.arity(2, 1);
    in.flag = d.has("transpose_lhs");
    in.transposeRhs = d.has("transpose_rhs");
    const Shape &a = in.inShapes[0], &out = op.shapes[0];
    if (a.size() < 2 || out.size() < 2)
      d.fail("needs operands of rank >= 2");
    in.n[0] = out[out.size() - 2];                 // m
    in.n[1] = out.back();                           // n
    in.n[2] = in.flag ? a[a.size() - 2] : a.back(); // k
    int64_t batch = numElements(Shape(out.begin(), out.end() - 2));
    auto product = [](int64_t x, int64_t y, int64_t z) { return checkedProduct({x, y, z}); };
    if (product(batch, in.n[0], in.n[2]) != elements(0) ||
        product(batch, in.n[2], in.n[1]) != elements(1))
      d.fail("operand sizes do not fit the result " + shapeText(out));
    in.batch = batch;
    break;
  }
  case Kind::LayerNorm:
    d.arity(3, 1);
    in.x[0] = d.number("eps");
    in.n[1] = lastAxis(0);
    in.n[0] = rowsOf(0);
    if (elements(1) != in.n[1] || elements(2) != in.n[1])
      d.fail("gamma and beta need " + std::to_string(in.n[1]) + " elements each");
    resultHolds(0, elements(0));
    break;
  case Kind::LayerNormGrad:
    d.arity(3, 3);
    sameCount(0, 1);
    in.x[0] = d.number("eps");
    in.n[1] = lastAxis(1);
    in.n[0] = rowsOf(1);
    if (elements(2) != in.n[1])
      d.fail("gamma needs " + std::to_string(in.n[1]) + " elements");
    resultHolds(0, elements(1));
    resultHolds(1, in.n[1]);
    resultHolds(2, in.n[1]);
    break;
  case Kind::Softmax:
  case Kind::SoftmaxGrad:
    d.arity(in.kind == Kind::Softmax ? 1 : 2, 1);
    if (in.kind == Kind::SoftmaxGrad)
      sameCount(0, 1);
    splitAround(in.inShapes[0], d.axis(in.inShapes[0].size()), in.n[0], in.n[1], in.n[2]);
    resultHolds(0, elements(0));
    break;
  case Kind::Relu:
  case Kind::Gelu:
  case Kind::Scale:
  case Kind::Dropout:
  case Kind::PositionalEncoding:
  case Kind::Reshape:
    d.arity(1, 1);
    resultHolds(0, elements(0));
    if (in.kind == Kind::Gelu)
      in.flag = d.text("approximate", "none") == "tanh";
    if (in.kind == Kind::Scale)
      in.x[0] = d.number("factor");
    if (in.kind == Kind::Dropout) {
      in.x[0] = d.number("p");
      in.n[0] = d.integer("seed");
      if (!(in.x[0] >= 0 && in.x[0] < 1))
        d.fail("drop probability " + std::to_string(in.x[0]) + " is not in [0, 1)");
    }
    if (in.kind == Kind::PositionalEncoding) {
      const Shape &s = in.inShapes[0];
      if (s.size() < 2)
        d.fail("needs an operand of rank >= 2 (tokens, features)");
      in.n[1] = s[s.size() - 2];
      in.n[2] = s.back();
      in.n[0] = numElements(Shape(s.begin(), s.end() - 2));
    }
    break;
  case Kind::ReduceRows:
    d.arity(1, 1);
    in.n[1] = lastAxis(0);
    in.n[0] = rowsOf(0);
    resultHolds(0, in.n[1]);
    break;
  case Kind::ReluGrad:
  case Kind::GeluGrad:
  case Kind::Add:
  case Kind::MseLoss:
  case Kind::MseLossGrad:
    d.arity(2, 1);
    sameCount(0, 1);
    resultHolds(0, in.kind == Kind::MseLoss ? 1 : elements(0));
    if (in.kind == Kind::GeluGrad)
      in.flag = d.text("approximate", "none") == "tanh";
    break;
  case Kind::Concat: {
    if (op.results.size() != 1 || op.operands.empty())
      d.fail("expects operands and 1 result");
    const Shape &out = op.shapes[0];
    int64_t axis = d.axis(out.size()), outer, mid, inner, total = 0;
    splitAround(out, axis, outer, mid, inner);
    in.n[0] = outer;
    in.n[1] = inner;
    for (size_t i = 0; i < in.inShapes.size(); ++i) {
      const Shape &s = in.inShapes[i];
      int64_t o, m, n;
      if (s.size() != out.size())
        d.fail("operand " + std::to_string(i) + " has another rank than the result");
      splitAround(s, axis, o, m, n);
      if (o != outer || n != inner)
        d.fail("operand " + std::to_string(i) + " " + shapeText(s) +
               " differs from the result off the concatenation axis");
      in.sizes.push_back(m);
      total += m;
    }
    if (total != mid)
      d.fail("operands add up to " + std::to_string(total) + " along the axis, the result has " +
             std::to_string(mid));
    break;
  }
  case Kind::Transpose: {
    d.arity(1, 1);
    const json *perm = op.attrs.contains("permutation") ? &op.attrs["permutation"] : nullptr;
    const Shape &x = in.inShapes[0];
    std::vector<bool> seen(x.size(), false);
    Shape permuted;
    if (!perm || !perm->is_array() || perm->size() != x.size())
      d.fail("needs a permutation of the operand's rank");
    for (const json &entry : *perm) {
      std::optional<int64_t> axis = jsonInt64(entry);
      if (!axis || *axis < 0 || *axis >= static_cast<int64_t>(x.size()) || seen[*axis])
        d.fail("'permutation' is not a permutation of [0, " + std::to_string(x.size()) + ")");
      seen[*axis] = true;
      in.sizes.push_back(*axis);
      permuted.push_back(x[*axis]);
    }
    if (permuted != op.shapes[0])
      d.fail("result " + shapeText(op.shapes[0]) + " is not the operand permuted, " +
             shapeText(permuted));
    break;
  }
  case Kind::Slice: {
    d.arity(1, 1);
    splitAround(in.inShapes[0], d.axis(in.inShapes[0].size()), in.n[0], in.n[1], in.n[2]);
    int64_t offset = d.integer("offset"), size = d.integer("size");
    if (offset < 0 || size < 0 || offset > in.n[1] || size > in.n[1] - offset)
      d.fail("slice [" + std::to_string(offset) + ", +" + std::to_string(size) +
             ") is outside the axis of " + std::to_string(in.n[1]));
    in.x[0] = static_cast<double>(offset);
    in.x[1] = static_cast<double>(size);
    resultHolds(0, numElements({in.n[0], size, in.n[2]}));
    break;
  }
  case Kind::SelfAttention: {
    d.arity(9, 1);
    const Shape &x = in.inShapes[0];
    in.n[0] = d.integer("heads");
    in.n[1] = d.integer("head_dim");
    if (in.n[0] <= 0 || in.n[1] <= 0 || x.size() != 3 ||
        checkedProduct({in.n[0], in.n[1]}) != x[2])
      d.fail("input " + shapeText(x) + " does not split into the heads");
    for (size_t i = 1; i < 9; ++i)
      if (elements(i) != (i % 2 ? numElements({x[2], x[2]}) : x[2]))
        d.fail("projection operand " + std::to_string(i) + " has the wrong size");
    resultHolds(0, elements(0));
    AttentionShape shape{x[0], x[1], in.n[0], in.n[1]};
    workspace = std::max<int64_t>(workspace, selfAttentionWorkspace(shape));
    break;
  }
  case Kind::ConstantLr:
  case Kind::StepLr:
    d.arity(0, 1);
    resultHolds(0, 1);
    in.x[0] = d.number("base");
    if (in.kind == Kind::StepLr) {
      in.n[0] = d.integer("step_size");
      in.x[1] = d.number("gamma");
      if (in.n[0] <= 0)
        d.fail("step_size must be positive");
    }
    break;
  case Kind::SgdUpdate:
  case Kind::AdamUpdate:
  case Kind::AdamWUpdate:
    d.arity(2, 0);
    if (mode == Mode::Eval)
      d.fail("updates a parameter, which an evaluation program must not do");
    in.param = &params->at(d.text("param", ""));
    if (numElements(in.param->spec.shape) != elements(0))
      d.fail("gradient size differs from parameter '" + in.param->spec.name + "'");
    if (elements(1) != 1)
      d.fail("the learning rate must be a single value");
    if (in.kind == Kind::SgdUpdate) {
      in.x[0] = d.number("momentum");
      in.x[1] = d.number("dampening");
      in.x[2] = d.number("weight_decay");
      in.flag = d.has("nesterov");
    } else {
      in.x[0] = d.number("beta1");
      in.x[1] = d.number("beta2");
      in.x[2] = d.number("eps");
      in.x[3] = d.number("weight_decay");
    }
    break;
  }
  return in;
}

void Program::Impl::compile(const MemoryLimit &limit) {
  shapes.assign(fn->values, Shape{});
  for (size_t i = 0; i < fn->args.size(); ++i)
    shapes[i] = fn->args[i];
  for (const OpSpec &op : fn->ops) {
    for (size_t r = 0; r < op.results.size(); ++r)
      shapes[op.results[r]] = op.shapes[r];
    code.push_back(decode(op));
    code.back().index = code.size() - 1;
    Instr &instr = code.back();
    instr.device = deviceFor(op, instr);
    // Aliases name host storage: the executor resolves them wherever the op is placed.
    instr.computedThere =
        instr.device && !isAlias(instr.kind) && instr.device->computes(*fn, instr.index);
  }
  for (int64_t id : fn->returns)
    resultShapes.push_back(shapes[id]);
  planStorage();
  planResidency();
  planFrozenOperands();
  // Buffers, workspace and optimizer state come later, one by one; refuse a
  // program that could not get them all before any is allocated.
  std::optional<uint64_t> scratchBytes = checkedMul(workspace, sizeof(float));
  std::optional<uint64_t> needed = scratchBytes ? checkedAdd(pooledBytes(), *scratchBytes)
                                                : std::nullopt;
  for (uint64_t more : {optimizerStateBytes(), parameterBytes(*bundle), frozenBytes()})
    needed = needed ? checkedAdd(*needed, more) : std::nullopt;
  limit.check(needed, bundle->path + ": function '" + fn->name + "'");
  scratch.resize(workspace);
}

/// What the buffer pool holds after one run: run() acquires and releases in
/// this order, so replaying it gives the exact total.
uint64_t Program::Impl::pooledBytes() const {
  std::multiset<int64_t> free;
  uint64_t total = 0;
  for (size_t i = 0; i < code.size(); ++i) {
    for (int64_t v : code[i].out) {
      if (!owned[v])
        continue;
      int64_t count = numElements(shapes[v]);
      auto it = free.find(count);
      if (it != free.end()) {
        free.erase(it);
        continue;
      }
      std::optional<uint64_t> bytes = bufferBytes(count);
      std::optional<uint64_t> sum = bytes ? checkedAdd(total, *bytes) : std::nullopt;
      if (!sum)
        return UINT64_MAX;
      total = *sum;
    }
    for (int64_t v : releaseAfter[i])
      free.insert(numElements(shapes[v]));
  }
  return total;
}

/// Moments that the program's updates will allocate (SGD with momentum: one
/// per parameter, Adam: two).
uint64_t Program::Impl::optimizerStateBytes() const {
  uint64_t total = 0;
  for (const Instr &instr : code) {
    if (const int moments = momentsKept(instr))
      total += moments * uint64_t(numElements(instr.param->spec.shape)) * sizeof(float);
  }
  return total;
}

void Program::Impl::planStorage() {
  int64_t values = fn->values;
  root.resize(values);
  for (int64_t v = 0; v < values; ++v)
    root[v] = v;
  owned.assign(values, false);
  std::vector<int64_t> lastUse(values, -1), producer(values, -1);
  for (size_t i = 0; i < code.size(); ++i) {
    const Instr &instr = code[i];
    for (int64_t v : instr.in)
      lastUse[root[v]] = std::max<int64_t>(lastUse[root[v]], i);
    for (int64_t v : instr.out)
      producer[v] = i;
    if (instr.kind == Kind::Reshape)
      root[instr.out[0]] = root[instr.in[0]];
    else if (instr.kind != Kind::GetParam)
      for (int64_t v : instr.out)
        owned[v] = true;
  }
  for (int64_t v : fn->returns)
    lastUse[root[v]] = kNever;

  // Each pooled buffer goes back after its last reader (or at once, when
  // nothing reads it); results are kept until the next run.
  releaseAfter.assign(code.size(), {});
  for (int64_t v = 0; v < values; ++v)
    if (owned[v] && lastUse[v] != kNever)
      releaseAfter[std::max(lastUse[v], producer[v])].push_back(v);

  // An update writes its parameter in place: nothing may read the parameter
  // through an earlier get_param after that point.
  for (size_t i = 0; i < code.size(); ++i) {
    if (!code[i].param || code[i].kind == Kind::GetParam)
      continue;
    for (const Instr &read : code)
      if (read.kind == Kind::GetParam && read.param == code[i].param &&
          lastUse[root[read.out[0]]] > static_cast<int64_t>(i))
        throw Error(code[i].where + ": parameter '" + code[i].param->spec.name +
                    "' is read after it is updated");
  }
}

/// Which values a device that keeps its own copies must copy back: those
/// read where they were not computed.
void Program::Impl::planResidency() {
  const size_t values = size_t(fn->values);
  paramOfStorage.assign(values, nullptr);
  std::vector<const Device *> madeOn(values, nullptr);
  for (const Instr &instr : code) {
    if (instr.kind == Kind::GetParam)
      paramOfStorage[instr.out[0]] = instr.param;
    if (instr.computedThere)
      for (int64_t v : instr.out)
        madeOn[root[v]] = instr.device;
  }
  readElsewhere.assign(values, 0);
  auto readAt = [&](std::vector<uint8_t> &marks, int64_t v, const Device *reader) {
    const int64_t r = root[v];
    if (madeOn[r] && madeOn[r] != reader)
      marks[r] = 1;
  };
  for (const Instr &instr : code) {
    if (instr.kind == Kind::Reshape)
      continue; // an alias reads nothing
    const Device *reader = instr.computedThere ? instr.device : nullptr;
    for (int64_t v : instr.in)
      readAt(readElsewhere, v, reader);
    if (instr.param && instr.kind != Kind::GetParam)
      readAt(readElsewhere, instr.in[1], nullptr); // the host computes the coefficients
  }
  for (int64_t v : fn->returns)
    readAt(readElsewhere, v, nullptr);
  readElsewhereWithGradients = readElsewhere;
  for (const Instr &instr : code)
    if (instr.param && instr.kind != Kind::GetParam) // the gradient hook reads it on the host
      readAt(readElsewhereWithGradients, instr.in[0], nullptr);

  // A parameter read whose value only devices with their own copies read
  // leaves the host's copy as it is.
  std::vector<uint8_t> hostReads(values, 0);
  for (const Instr &instr : code)
    if (instr.kind != Kind::Reshape && !(instr.computedThere && instr.device->ownMemory()))
      for (int64_t v : instr.in)
        hostReads[root[v]] = 1;
  for (int64_t v : fn->returns)
    hostReads[root[v]] = 1;
  for (Instr &instr : code)
    if (instr.kind == Kind::GetParam)
      instr.readOnHost = hostReads[instr.out[0]];
}

/// Lets the device whose work may be in flight finish before `next` (null:
/// the host) reads what it wrote.
void Program::Impl::settle(const Device *next) {
  if (unfinished && unfinished != next) {
    Device *device = std::exchange(unfinished, nullptr);
    device->finish();
  }
}

/// The products of a training program whose B is a parameter it never
/// updates read that parameter packed (FrozenOperand).
void Program::Impl::planFrozenOperands() {
  if (mode != Mode::Train || !hasPanelKernel())
    return;
  std::set<const ParamEntry *> updated;
  std::vector<const ParamEntry *> paramOf(fn->values, nullptr);
  for (const Instr &instr : code) {
    if (instr.kind == Kind::GetParam)
      paramOf[instr.out[0]] = instr.param;
    else if (instr.param)
      updated.insert(instr.param);
  }
  for (Instr &instr : code) {
    bool product = instr.kind == Kind::Linear || (instr.kind == Kind::Matmul && instr.batch == 1);
    // A device keeps its own copy of a weight; only host products are packed.
    const ParamEntry *weight = product && !instr.device ? paramOf[instr.in[1]] : nullptr;
    if (!weight || updated.count(weight))
      continue;
    FrozenOperand operand;
    operand.param = weight;
    if (instr.kind == Kind::Linear) { // y = x·wᵀ, w [out, in]
      operand.transposed = true;
      operand.depth = instr.n[1];
      operand.columns = instr.n[2];
    } else {
      operand.transposed = instr.transposeRhs;
      operand.depth = instr.n[2];
      operand.columns = instr.n[1];
    }
    auto same = std::find_if(frozen.begin(), frozen.end(), [&](const FrozenOperand &known) {
      return known.sameAs(operand);
    });
    instr.frozen = same - frozen.begin();
    if (same == frozen.end())
      frozen.push_back(std::move(operand));
  }
}

uint64_t Program::Impl::frozenBytes() const {
  uint64_t total = 0;
  for (const FrozenOperand &operand : frozen)
    total += operand.bytes();
  return total;
}

Program::Program(const Bundle &bundle, const std::string &function,
                 ParamStore &params, Mode mode, const MemoryLimit &limit, DeviceSet *devices,
                 std::optional<hw::DeviceKind> everyOpOn)
    : impl(std::make_unique<Impl>()) {
  impl->devices = devices;
  impl->everyOpOn = everyOpOn;
  impl->fn = bundle.function(function);
  if (!impl->fn)
    throw Error(bundle.path + ": has no function '" + function + "'");
  impl->bundle = &bundle;
  impl->params = &params;
  impl->mode = mode;
  impl->compile(limit);
}

Program::~Program() = default;

void Program::setProfiling(bool enabled) { impl->profiling = enabled; }

const std::vector<Program::OpRecord> &Program::lastRun() const { return impl->records; }

const FunctionSpec &Program::function() const { return *impl->fn; }

const std::vector<Shape> &Program::argShapes() const { return impl->fn->args; }
const std::vector<Shape> &Program::resultShapes() const { return impl->resultShapes; }

const float *Program::result(size_t index) const {
  return impl->ptr[impl->fn->returns.at(index)];
}

void Program::run(const std::vector<const float *> &args, const TrainingState &state) {
  Impl &p = *impl;
  if (args.size() != p.fn->args.size())
    throw Error("function '" + p.fn->name + "' takes " +
                std::to_string(p.fn->args.size()) + " arguments, got " +
                std::to_string(args.size()));
  for (auto [count, buffer] : p.heldByResults)
    p.freeBuffers.emplace(count, buffer);
  p.heldByResults.clear();
  p.ptr.assign(p.fn->values, nullptr);
  p.records.clear();
  for (size_t i = 0; i < args.size(); ++i)
    p.ptr[i] = const_cast<float *>(args[i]); // arguments are only read
  static std::atomic<uint64_t> runs{0};
  p.unfinished = nullptr;
  const Residency residency{&p,
                            ++runs,
                            p.root,
                            p.paramOfStorage,
                            onGradient ? p.readElsewhereWithGradients : p.readElsewhere,
                            state.step,
                            p.mode == Mode::Train,
                            p.profiling};
  p.residency = &residency;
  for (size_t i = 0; i < p.code.size(); ++i) {
    const Instr &instr = p.code[i];
    for (int64_t v : instr.out)
      if (p.owned[v])
        p.ptr[v] = p.acquire(numElements(p.shapes[v]));
    p.executeOn(instr, state, onGradient);
    for (int64_t v : p.releaseAfter[i])
      p.freeBuffers.emplace(numElements(p.shapes[v]), p.ptr[v]);
  }
  p.settle(nullptr);
  p.residency = nullptr;
  for (int64_t v : p.fn->returns) {
    int64_t r = p.root[v];
    bool seen = false;
    for (auto &held : p.heldByResults)
      seen |= held.second == p.ptr[r];
    if (p.owned[r] && !seen)
      p.heldByResults.emplace_back(numElements(p.shapes[r]), p.ptr[r]);
  }
}

//===----------------------------------------------------------------------===//
// Devices
//===----------------------------------------------------------------------===//

Device *Program::Impl::deviceFor(const OpSpec &op, const Instr &instr) const {
  const hw::DeviceKind kind = placementOf(op).kind;
  if (kind == hw::DeviceKind::Host)
    return nullptr;
  Device *device = devices ? devices->find(kind) : nullptr;
  if (!device)
    throw Error(bundle->path + ": " + instr.where + ": placed on " + hw::name(kind) +
                ", but this run has no such device");
  device->accept(*fn, instr.index, bundle->path + ": " + instr.where);
  return device;
}

/// Runs `instr` where it is placed; when profiling, records its wall time
/// and its cost there.
void Program::Impl::executeOn(
    const Instr &instr, const TrainingState &state,
    const std::function<void(const ParamEntry &, const float *)> &hook) {
  using Clock = std::chrono::steady_clock;
  const Clock::time_point start = profiling ? Clock::now() : Clock::time_point();
  OpRecord record;
  record.op = instr.index;
  record.device = placementOf(fn->ops[instr.index]);
  if (!instr.computedThere) {
    // On a timing-only device too, and for an op the device has no code for.
    if (!isAlias(instr.kind))
      settle(nullptr);
    execute(instr, state, hook);
  }
  if (instr.device) {
    std::optional<OptimizerStep> update;
    const float *noise = nullptr;
    if (instr.computedThere) {
      settle(instr.device);
      if (instr.param && hook)
        settle(nullptr); // the hook reads the gradient on the host
      if (instr.param)
        update = beginUpdate(instr, hook, instr.device->ownMemory());
      if (instr.kind == Kind::Dropout && !instr.device->drawsDropout())
        noise = dropoutNoiseFor(instr, state);
    }
    OpRecord work;
    hostWork(instr, work);
    record.cost = instr.device->run(*fn, instr.index,
                                    Tensors{ptr, shapes, noise, update ? &*update : nullptr,
                                            work.flops, work.elements, residency});
    if (instr.computedThere)
      unfinished = instr.device;
  }
  else if (profiling)
    hostWork(instr, record);
  if (!profiling)
    return;
  record.wallSeconds = std::chrono::duration<double>(Clock::now() - start).count();
  records.push_back(std::move(record));
}

/// The host model charges matrix products by their FLOPs and everything
/// else by the elements it writes (docs/accounting.md).
void Program::Impl::hostWork(const Instr &instr, OpRecord &record) const {
  switch (instr.kind) {
  case Kind::GetParam:
  case Kind::Reshape:
    return; // aliases: no work
  case Kind::Linear:
  case Kind::Matmul:
  case Kind::BatchMatmul:
    record.flops = 2.0 * instr.batch * instr.n[0] * instr.n[1] * instr.n[2];
    return;
  default:
    for (const Shape &shape : instr.outShapes)
      record.elements += double(numElements(shape));
    if (instr.param) // an optimizer update writes its parameter
      record.elements += double(numElements(instr.param->spec.shape));
    return;
  }
}

//===----------------------------------------------------------------------===//
// Kernel dispatch
//===----------------------------------------------------------------------===//

void Program::Impl::execute(
    const Instr &in, const TrainingState &state,
    const std::function<void(const ParamEntry &, const float *)> &hook) {
  auto src = [&](size_t i) -> const float * { return ptr[in.in[i]]; };
  auto dst = [&](size_t i) { return ptr[in.out[i]]; };
  auto count = [&](size_t i) { return numElements(in.inShapes[i]); };
  switch (in.kind) {
  case Kind::GetParam:
    // Kernels only write their results, and a result is never a parameter.
    // The host's copy is brought up to date only where something reads it.
    ptr[in.out[0]] = const_cast<float *>(in.readOnHost ? in.param->value().data()
                                                       : in.param->hostBuffer());
    return;
  case Kind::Linear:
    if (in.frozen >= 0) {
      linearForwardPacked(src(0), frozen[in.frozen].current(),
                          in.in.size() > 2 ? src(2) : nullptr, dst(0), in.n[0]);
      return;
    }
    linearForward(src(0), src(1), in.in.size() > 2 ? src(2) : nullptr, dst(0),
                  in.n[0], in.n[1], in.n[2]);
    return;
  case Kind::Matmul:
  case Kind::BatchMatmul:
    if (in.frozen >= 0) {
      matmulPacked(in.flag, in.n[0], src(0), frozen[in.frozen].current(), dst(0));
      return;
    }
    batchedMatmul(in.batch, in.flag, in.transposeRhs, in.n[0], in.n[1], in.n[2], src(0),
                  src(1), dst(0));
    return;
  case Kind::LayerNorm:
    layerNormForward(src(0), src(1), src(2), dst(0), in.n[0], in.n[1],
                     static_cast<float>(in.x[0]));
    return;
  case Kind::LayerNormGrad:
    layerNormBackward(src(0), src(1), src(2), dst(0), dst(1), dst(2), in.n[0], in.n[1],
                      static_cast<float>(in.x[0]));
    return;
  case Kind::Softmax:
    softmaxForward(src(0), dst(0), in.n[0], in.n[1], in.n[2]);
    return;
  case Kind::SoftmaxGrad:
    softmaxBackward(src(0), src(1), dst(0), in.n[0], in.n[1], in.n[2]);
    return;
  case Kind::Relu:
    reluForward(src(0), dst(0), count(0));
    return;
  case Kind::ReluGrad:
    reluBackward(src(0), src(1), dst(0), count(0));
    return;
  case Kind::Gelu:
    geluForward(src(0), dst(0), count(0), in.flag);
    return;
  case Kind::GeluGrad:
    geluBackward(src(0), src(1), dst(0), count(0), in.flag);
    return;
  case Kind::Scale:
    scale(src(0), static_cast<float>(in.x[0]), dst(0), count(0));
    return;
  case Kind::Dropout:
    if (mode == Mode::Train)
      dropout(src(0), dst(0), count(0), static_cast<float>(in.x[0]),
              static_cast<uint64_t>(in.n[0]), static_cast<uint64_t>(state.step));
    else
      std::memcpy(dst(0), src(0), count(0) * sizeof(float));
    return;
  case Kind::PositionalEncoding:
    positionalEncoding(src(0), dst(0), in.n[0], in.n[1], in.n[2]);
    return;
  case Kind::Add:
    add(src(0), src(1), dst(0), count(0));
    return;
  case Kind::Concat: {
    std::vector<const float *> inputs;
    for (size_t i = 0; i < in.in.size(); ++i)
      inputs.push_back(src(i));
    concat(inputs, in.sizes, dst(0), in.n[0], in.n[1]);
    return;
  }
  case Kind::Reshape:
    ptr[in.out[0]] = ptr[in.in[0]];
    return;
  case Kind::Transpose:
    transpose(src(0), dst(0), in.inShapes[0], in.sizes);
    return;
  case Kind::Slice:
    slice(src(0), dst(0), in.n[0], in.n[1], in.n[2], static_cast<int64_t>(in.x[0]),
          static_cast<int64_t>(in.x[1]));
    return;
  case Kind::MseLoss:
    *dst(0) = mseForward(src(0), src(1), count(0));
    return;
  case Kind::MseLossGrad:
    mseBackward(src(0), src(1), 1.0f, dst(0), count(0));
    return;
  case Kind::ReduceRows:
    sumRows(src(0), dst(0), in.n[0], in.n[1]);
    return;
  case Kind::SelfAttention: {
    const float *weights[8];
    for (int i = 0; i < 8; ++i)
      weights[i] = src(i + 1);
    const Shape &x = in.inShapes[0];
    selfAttentionForward(src(0), weights, dst(0), {x[0], x[1], in.n[0], in.n[1]},
                         scratch.data());
    return;
  }
  case Kind::ConstantLr:
    *dst(0) = static_cast<float>(in.x[0]);
    return;
  case Kind::StepLr:
    *dst(0) = static_cast<float>(in.x[0] * std::pow(in.x[1], state.epoch / in.n[0]));
    return;
  case Kind::SgdUpdate:
  case Kind::AdamUpdate:
  case Kind::AdamWUpdate: {
    const OptimizerStep step = beginUpdate(in, hook, false);
    if (const auto *k = std::get_if<SgdCoefficients>(&step.coefficients))
      sgdUpdate(step.value, src(0), step.moment1, step.count, *k);
    else
      adamUpdate(step.value, src(0), step.moment1, step.moment2, step.count,
                 std::get<AdamCoefficients>(step.coefficients));
    return;
  }
  }
}

/// The noise a device multiplies by for dropout `in`: the host's generator
/// for this step, so the device's dropout is the host's.
const float *Program::Impl::dropoutNoiseFor(const Instr &in, const TrainingState &state) {
  const int64_t count = numElements(in.inShapes[0]);
  noise.resize(count);
  if (mode == Mode::Train)
    dropoutNoise(noise.data(), count, static_cast<float>(in.x[0]),
                 static_cast<uint64_t>(in.n[0]), static_cast<uint64_t>(state.step));
  else // evaluation: dropout is the identity
    std::fill(noise.begin(), noise.end(), 1.0f);
  return noise.data();
}

/// An update's bookkeeping wherever it runs: the gradient hook, the
/// optimizer state (allocated on first use), the step count and this step's
/// coefficients.
OptimizerStep Program::Impl::beginUpdate(
    const Instr &in, const std::function<void(const ParamEntry &, const float *)> &hook,
    bool onDeviceCopy) {
  ParamEntry &param = *in.param;
  if (hook)
    hook(param, ptr[in.in[0]]);
  const float lr = *ptr[in.in[1]];
  OptimizerStep step;
  step.param = &param;
  step.count = numElements(param.spec.shape);
  ++param.updates;
  const bool adam = in.kind != Kind::SgdUpdate;
  step.moments = momentsKept(in);
  if (onDeviceCopy) {
    param.updateOnDevice(step.moments);
  } else {
    step.value = param.mutableValue().data();
    if (step.moments >= 1 && param.moment1().empty())
      param.moment1().assign(step.count, 0.0f);
    if (step.moments >= 2 && param.moment2().empty())
      param.moment2().assign(step.count, 0.0f);
    step.moment1 = step.moments >= 1 ? param.moment1().data() : nullptr;
    step.moment2 = step.moments >= 2 ? param.moment2().data() : nullptr;
  }
  if (adam)
    step.coefficients = adamCoefficients(lr, in.x[0], in.x[1], in.x[2], in.x[3],
                                         in.kind == Kind::AdamWUpdate, param.updates);
  else
    step.coefficients = sgdCoefficients(lr, static_cast<float>(in.x[0]),
                                        static_cast<float>(in.x[1]),
                                        static_cast<float>(in.x[2]), in.flag, param.updates);
  return step;
}

} // namespace hpt::rt
