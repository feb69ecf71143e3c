//===- Bundle.h - reading hpt-translate's bundles ---------------*- C++ -*-===//
//
// The in-memory form of a bundle (docs/bundle.md). Loading checks the header
// (magic, version, size, checksum) and the structure of every entry, so that
// the executor can trust it; any defect throws hpt::rt::Error naming the file
// and the entry.
//
//===----------------------------------------------------------------------===//

#ifndef HPT_RUNTIME_CORE_BUNDLE_H
#define HPT_RUNTIME_CORE_BUNDLE_H

#include "hardware/Accounting.h"
#include "hardware/BundleFormat.h"
#include "hardware/Description.h"
#include "hardware/gpu/Launch.h"
#include "hardware/systolic/Binding.h"
#include "hardware/systolic/Isa.h"
#include "hardware/systolic/Planner.h"
#include "runtime/core/Limits.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hpt::rt {

using Shape = std::vector<int64_t>;

/// The number of elements; throws Error when it does not fit int64 (shapes
/// read from files are checked when they are read).
int64_t numElements(const Shape &shape);
std::string shapeText(const Shape &shape);


struct ParamSpec {
  std::string name;
  Shape shape;
  std::string init; ///< zeros, ones or uniform_fan_in
  int64_t fanIn = 0;
  uint64_t seed = 0;
  bool trainable = false;
};

struct OpSpec {
  std::string op; ///< the hpt op name without "hpt."
  std::vector<int64_t> operands, results;
  std::vector<Shape> shapes; ///< one per result
  nlohmann::json attrs;
  std::string loc; ///< "file:line:col" of the op in the compiled IR
  hw::Placement device; ///< the host unless the op says otherwise
};

struct FunctionSpec {
  std::string name;
  std::vector<Shape> args;
  std::vector<int64_t> returns;
  int64_t values = 0;
  std::vector<OpSpec> ops;
};

/// A low-rank adapter: weight `target` is frozen and `a` (rank x in), `b`
/// (out x rank) are trained.
struct AdapterSpec {
  std::string target, a, b;
};

struct LoraSpec {
  int64_t rank = 0;
  double alpha = 0, dropout = 0;
  std::string base; ///< the full program's evaluation function
  std::vector<AdapterSpec> adapters;
};

/// A training step with its evaluation function. A LoRA program shares every
/// parameter name with the full one except its adapters: at the switch its
/// bases take the full program's current values.
struct ProgramSpec {
  std::string train, eval;
  std::optional<LoraSpec> lora;
};

/// One tensor of a systolic op in its stream's DRAM regions
/// (hpt/Systolic/GemmOps.h, DramBinding).
struct DramBinding {
  systolic::Buffer region = systolic::Buffer::Ifmap;
  uint64_t offset = 0;
  systolic::BoundTensor tensor = systolic::BoundTensor::Value;
  int64_t value = 0; ///< the op's operand or result (tensor Value)
  uint64_t words = 0; ///< the tensor's elements
  bool output = false;
  bool transpose = false; ///< the two last axes of each batch element swap
};

/// What the systolic device runs for one op.
struct SystolicOp {
  size_t stream = 0;
  std::vector<DramBinding> bindings;
};

/// The systolic section: each stream once, and per function and op index
/// the stream it runs.
struct SystolicSection {
  std::vector<systolic::Stream> streams;
  /// Per stream, the plan it is (checked when read), or none for a stream
  /// written by hand.
  std::vector<std::optional<systolic::PlanSpec>> plans;
  std::map<std::pair<std::string, size_t>, SystolicOp> ops;
  const SystolicOp *find(const std::string &function, size_t op) const;
};

/// A frozen weight in ReRAM crossbars: the stored matrix [rows × cols] of
/// parameter `param` (its transpose when `transposedParam`), where its
/// tiles start and how many it and its crossbars take (checked against the
/// hardware model's tiling when read).
struct ReramWeight {
  std::string name, param;
  bool transposedParam = false;
  int64_t rows = 0, cols = 0;
  int64_t firstTile = 0, tiles = 0, crossbars = 0;
};

/// What the ReRAM device runs for one op: which weight it reads and how.
struct ReramOp {
  size_t weight = 0;
  bool transposed = false; ///< x·Sᵀ rather than x·S
};

/// The ReRAM section: the weights, and per function and op index its read.
struct ReramSection {
  std::vector<ReramWeight> weights;
  std::map<std::pair<std::string, size_t>, ReramOp> ops;
  const ReramOp *find(const std::string &function, size_t op) const;
};

/// A GPU kernel's argument: what it binds to (docs/gpu.md: "operand:N",
/// "result:N", "param", "moment1", "moment2", "workspace", "scalar:NAME"),
/// its element type (f32, f64, i64, i32) and shape (empty for a scalar).
struct GpuKernelArg {
  std::string bind, element;
  Shape shape;
};

struct GpuKernelSpec {
  std::string name;
  std::vector<GpuKernelArg> args;
  std::vector<hw::gpu::Launch> launches;
};

/// What the GPU runs for one op: a kernel, cuBLAS, or both (a linear
/// layer's product, then its bias).
struct GpuOp {
  std::optional<size_t> kernel;
  bool library = false;
};

/// The GPU section (convert-hpt-to-gpu, compiled): the kernels, their PTX
/// and cubins by architecture, and per function and op index what runs it.
struct GpuSection {
  std::string ptxTarget, ptx;
  std::map<std::string, std::string> cubins;
  std::vector<GpuKernelSpec> kernels;
  std::map<std::pair<std::string, size_t>, GpuOp> ops;
  const GpuOp *find(const std::string &function, size_t op) const;
};

struct Bundle {
  std::string path;
  uint64_t checksum = 0; ///< identifies the compiled model (checkpoints record it)
  std::vector<ParamSpec> params;
  std::vector<FunctionSpec> functions;
  std::vector<ProgramSpec> programs;
  /// The description the model was compiled for (needed when an op is
  /// placed off the host), and the systolic device's section.
  std::optional<hw::Description> hardware;
  SystolicSection systolic;
  ReramSection reram; ///< the ReRAM device's section
  GpuSection gpu;     ///< the GPU kernels, when the model was compiled for a GPU
  /// The sections as read, so that a bundle can be written back unchanged.
  std::vector<hw::bundle::Section> sections;

  /// The function named `name`, or null.
  const FunctionSpec *function(const std::string &name) const;
  /// The program without adapters; throws Error when there is none.
  const ProgramSpec &fullProgram() const;
  /// The LoRA programs, by rank.
  std::vector<const ProgramSpec *> loraPrograms() const;
  /// The LoRA program of rank `rank`, or null.
  const ProgramSpec *loraProgram(int64_t rank) const;
};

/// The shape of every value of `fn` (arguments, then op results).
std::vector<Shape> valueShapes(const FunctionSpec &fn);

/// Reads and validates a bundle file, refusing one whose parameters alone
/// need more memory than `limit`.
Bundle loadBundle(const std::string &path, const MemoryLimit &limit = {});
/// Validates bundle text; `origin` names it in errors.
Bundle parseBundle(const std::string &text, const std::string &origin);
/// Bytes of all parameter values (UINT64_MAX when that overflows).
uint64_t parameterBytes(const Bundle &bundle);
/// Writes the bundle's sections as they were read (a round trip gives the
/// same bytes); throws Error when the file cannot be written.
void writeBundleFile(const Bundle &bundle, const std::string &path);

/// A bundle file holding only `program` (the JSON of a program section):
/// for tests and fuzzers that write payloads by hand.
std::string bundleWithProgram(std::string_view program);

} // namespace hpt::rt

#endif // HPT_RUNTIME_CORE_BUNDLE_H
