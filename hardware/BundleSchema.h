//===- BundleSchema.h - the keys of the bundle's JSON sections --*- C++ -*-===//
//
// The one list of the object keys of the bundle's two JSON sections,
// "program" and "systolic" (docs/bundle.md), used by the compiler that writes
// them (lib/Target/Bundle.cpp, llvm::json) and the runtime that reads them
// (runtime/core/Bundle.cpp, nlohmann::json), so that a key cannot be spelled
// one way by the writer and another by the reader. A key used by several
// objects (e.g. "ops", "op", "kind", "offset", "name") is defined once, under
// the first object that has it; the groups below name the others it is in.
// Only keys are here: values (device names, initialisers, plan kinds) keep
// their own definitions. Header only, with no dependency, so both sides can
// include it.
//
//===----------------------------------------------------------------------===//

#ifndef HPT_HARDWARE_BUNDLESCHEMA_H
#define HPT_HARDWARE_BUNDLESCHEMA_H

namespace hpt::hw::bundle::key {

// --- Section "program": the top-level object. ---
inline constexpr const char *kFormat = "format";       ///< always "hpt-bundle"
inline constexpr const char *kVersion = "version";     ///< bundle::kVersion
inline constexpr const char *kParams = "params";       ///< array of parameters
inline constexpr const char *kFunctions = "functions"; ///< array of functions
inline constexpr const char *kPrograms = "programs";   ///< array of programs

// --- A parameter (an entry of "params"). ---
inline constexpr const char *kName = "name";           ///< symbol name (also a function's)
inline constexpr const char *kShape = "shape";         ///< array of sizes
inline constexpr const char *kInit = "init";           ///< zeros | ones | uniform_fan_in
inline constexpr const char *kFanIn = "fan_in";        ///< fan-in of uniform_fan_in
inline constexpr const char *kSeed = "seed";           ///< Philox seed of the initialiser
inline constexpr const char *kTrainable = "trainable"; ///< whether the optimizer updates it

// --- A function (an entry of "functions"): kName, kOps and these. ---
inline constexpr const char *kArgs = "args";       ///< one shape per argument
inline constexpr const char *kReturns = "returns"; ///< value ids returned
inline constexpr const char *kValues = "values";   ///< number of values, ids 0..N-1
inline constexpr const char *kOps = "ops";         ///< array of ops (also the systolic index's)

// --- An op (an entry of a function's "ops"); kOp is also in a systolic op entry and a plan. ---
inline constexpr const char *kOp = "op";             ///< op name without "hpt."
inline constexpr const char *kOperands = "operands"; ///< value ids read
inline constexpr const char *kResults = "results";   ///< value ids defined
inline constexpr const char *kShapes = "shapes";     ///< one shape per result
inline constexpr const char *kAttrs = "attrs";       ///< the op's attributes by name
inline constexpr const char *kLoc = "loc";           ///< "file:line:col" in the IR, or ""
inline constexpr const char *kDevice = "device";     ///< placement, absent on the host

// --- An op's "device": kKind (the device's name) and this. ---
inline constexpr const char *kKind = "kind";         ///< device name (also a plan's gemm | vector)
inline constexpr const char *kInstance = "instance"; ///< optional device instance index

// --- A program (an entry of "programs"). ---
inline constexpr const char *kTrain = "train"; ///< the training step function
inline constexpr const char *kEval = "eval";   ///< the forward function it was built from
inline constexpr const char *kLora = "lora";   ///< LoRA configuration, absent for the full one

// --- A program's "lora". ---
inline constexpr const char *kRank = "rank";         ///< the adapters' rank
inline constexpr const char *kAlpha = "alpha";       ///< LoRA scaling alpha
inline constexpr const char *kDropout = "dropout";   ///< LoRA dropout probability
inline constexpr const char *kBase = "base";         ///< the full program's forward function
inline constexpr const char *kAdapters = "adapters"; ///< array of adapters

// --- An adapter (an entry of a lora's "adapters"). ---
inline constexpr const char *kTarget = "target"; ///< the adapted parameter
inline constexpr const char *kA = "a";           ///< the parameter of factor A
inline constexpr const char *kB = "b";           ///< the parameter of factor B

// --- Section "systolic": the index object; kOps (systolic op entries) and this. ---
inline constexpr const char *kStreams = "streams"; ///< the stream table

// --- A stream table entry (an entry of "streams"); kOffset is also in a binding. ---
inline constexpr const char *kOffset = "offset"; ///< byte offset in "systolic.streams"
inline constexpr const char *kBytes = "bytes";   ///< the stream's size in bytes
inline constexpr const char *kPlan = "plan";     ///< what the stream computes, optional

// --- A stream's "plan": kKind (gemm | vector), kOp (vector) and these. ---
inline constexpr const char *kM = "m";           ///< gemm: rows of the result
inline constexpr const char *kN = "n";           ///< gemm: columns of the result
inline constexpr const char *kK = "k";           ///< gemm: reduction length
inline constexpr const char *kBatch = "batch";   ///< gemm: batch count
inline constexpr const char *kBias = "bias";     ///< gemm: whether a bias is added
inline constexpr const char *kRows = "rows";     ///< vector: rows of the tensor
inline constexpr const char *kCols = "cols";     ///< vector: columns of the tensor
inline constexpr const char *kScalar = "scalar"; ///< vector: the op's scalar operand

// --- A systolic op entry (an entry of the index's "ops"): kOp (op index) and these. ---
inline constexpr const char *kFunction = "function"; ///< name of the op's function
inline constexpr const char *kStream = "stream";     ///< index into "streams"
inline constexpr const char *kBindings = "bindings"; ///< array of bindings

// --- A binding (an entry of "bindings"): kOffset (element offset) and these. ---
inline constexpr const char *kRegion = "region";       ///< ifmap | filter | ofmap
inline constexpr const char *kTensor = "tensor";       ///< value | dropout-noise | parameter | ...
inline constexpr const char *kValue = "value";         ///< value id, when tensor is "value"
inline constexpr const char *kOutput = "output";       ///< whether it is written back
inline constexpr const char *kTranspose = "transpose"; ///< whether it is stored transposed

// --- The ReRAM section: kOps (entries with kFunction, kOp and these) and kCrossbars. ---
inline constexpr const char *kCrossbars = "crossbars"; ///< array of weights; an op's weight name
inline constexpr const char *kRead = "read";           ///< forward | transposed
// A weight (an entry of "crossbars"): kName, kRows, kCols (the stored matrix) and these.
inline constexpr const char *kParam = "param";                   ///< the parameter it holds
inline constexpr const char *kTransposedParam = "transposed_param"; ///< stored = parameterᵀ
inline constexpr const char *kFirstTile = "first_tile";          ///< where its tiles start
inline constexpr const char *kTiles = "tiles";                   ///< tiles it takes
inline constexpr const char *kCrossbarCount = "crossbar_count";  ///< crossbars it takes

// --- The GPU section: kOps (entries with kFunction, kOp and these) and kKernels. ---
inline constexpr const char *kKernel = "kernel";   ///< an op's generated kernel, by name
inline constexpr const char *kLibrary = "library"; ///< "cublas": the op is a cuBLAS product
inline constexpr const char *kKernels = "kernels"; ///< array of kernels (kName, kArgs, kLaunches)
inline constexpr const char *kBind = "bind";       ///< a kernel argument's binding (docs/gpu.md)
inline constexpr const char *kElement = "element"; ///< f32 | f64 | i64 | i32 (with kShape)
inline constexpr const char *kLaunches = "launches"; ///< the kernel's launches, in order
inline constexpr const char *kEntry = "entry";     ///< a launch's PTX entry
inline constexpr const char *kGrid = "grid";       ///< blocks (x)
inline constexpr const char *kBlock = "block";     ///< threads per block (x)
inline constexpr const char *kPtxTarget = "ptx_target"; ///< the PTX's .target (sm_80)
inline constexpr const char *kCubins = "cubins";   ///< architectures with a "gpu.cubin.ARCH" section

} // namespace hpt::hw::bundle::key

#endif // HPT_HARDWARE_BUNDLESCHEMA_H
