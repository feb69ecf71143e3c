//===- CudaDevice.cpp - the GPU ops run on a CUDA GPU ---------------------===//

#include "runtime/gpu/CudaDevice.h"

#include "runtime/core/Error.h"
#include "runtime/core/Program.h"
#include "runtime/gpu/CublasGemm.h"

#include <algorithm>
#include <climits>
#include <cstdlib>
#include <initializer_list>

namespace hpt::rt {

namespace {

struct Allocation {
  cuda::DevicePtr ptr = 0;
  size_t bytes = 0;
};

/// A value's GPU buffer and the run whose value it holds.
struct ResidentValue {
  Allocation memory;
  uint64_t run = 0;
};

/// A parameter's GPU copies and the host write count they equal.
struct ResidentParam {
  Allocation value, moment1, moment2;
  std::optional<uint64_t> valueAt, momentsAt;
};

/// One argument of cuLaunchKernel, which reads as many bytes as the
/// kernel's parameter has from its address.
union KernelArg {
  cuda::DevicePtr pointer;
  float f32;
  int32_t i32;
  int64_t i64;
};

using NamedF32 = std::pair<const char *, float>;

std::optional<KernelArg> f32Named(const std::string &name, std::initializer_list<NamedF32> fields) {
  for (const auto &[field, value] : fields)
    if (name == field) {
      KernelArg arg{};
      arg.f32 = value;
      return arg;
    }
  return std::nullopt;
}

std::optional<KernelArg> sgdScalar(const std::string &name, const SgdCoefficients &k) {
  if (name != "first")
    return f32Named(name, {{"negLr", k.negLr},
                           {"momentum", k.momentum},
                           {"oneMinusDampening", k.oneMinusDampening},
                           {"weightDecay", k.weightDecay}});
  KernelArg arg{};
  arg.i32 = k.first ? 1 : 0;
  return arg;
}

std::optional<KernelArg> adamScalar(const std::string &name, const AdamCoefficients &k) {
  return f32Named(name, {{"beta1", k.beta1},
                         {"oneMinusBeta1", k.oneMinusBeta1},
                         {"beta2", k.beta2},
                         {"oneMinusBeta2", k.oneMinusBeta2},
                         {"negStepSize", k.negStepSize},
                         {"sqrtBias2", k.sqrtBias2},
                         {"eps", k.eps},
                         {"decay", k.decay},
                         {"l2", k.l2}});
}

/// Whether hpt-run supplies scalar `name` (docs/gpu.md): dropout's step, or
/// a field of SgdCoefficients or AdamCoefficients.
bool knownScalar(const std::string &name) {
  return name == "step" || sgdScalar(name, {}) || adamScalar(name, {});
}

/// Names an op in errors: "m.hptb: gpu: function 'f' op 3 (gelu at m.mlir:4:5)",
/// made only when one is raised, as ops run thousands of times a second.
struct OpName {
  const std::string &bundle;
  const FunctionSpec &fn;
  size_t index;
  std::string operator()() const {
    const OpSpec &op = fn.ops[index];
    return bundle + ": gpu: function '" + fn.name + "' op " + std::to_string(index) + " (" +
           op.op + (op.loc.empty() ? "" : " at " + op.loc) + ")";
  }
};

} // namespace

struct CudaDevice::Impl {
  Impl(const Bundle &bundle, const CudaDriver &driver, const CudaDeviceOptions &options)
      : bundle(bundle), driver(driver), cu(driver.api()), options(options), roofline(bundle) {}
  ~Impl();

  const Bundle &bundle;
  const CudaDriver &driver;
  const cuda::DriverApi &cu;
  CudaDeviceOptions options;
  RooflineGpuDevice roofline;

  bool contextRetained = false;
  cuda::Module module = nullptr;
  cuda::Stream stream = nullptr;
  cuda::Event before = nullptr, after = nullptr;
  std::vector<std::vector<cuda::Function>> entries; ///< per kernel, per launch
  std::map<std::pair<size_t, size_t>, Allocation> workspaces; ///< by kernel and argument
  std::map<std::pair<const void *, int64_t>, ResidentValue> values;
  std::map<const ParamEntry *, ResidentParam> params;
  /// Expires with the device: a parameter whose newest value it held can
  /// no longer catch up.
  std::shared_ptr<const bool> alive = std::make_shared<const bool>(true);
  uint64_t heldBytes = 0, peakBytes = 0;
  uint64_t bytesToGpu = 0, bytesFromGpu = 0;
  double eventSeconds = 0;

  SharedLibrary blasLibrary;
  cuda::BlasApi blas{};
  cuda::blas::Handle handle = nullptr;

  SharedLibrary nvmlLibrary;
  cuda::NvmlApi nvml{};
  cuda::NvmlDevice nvmlDevice = nullptr;
  bool nvmlStarted = false;
  std::optional<unsigned long long> energyAtStart; ///< mJ
  std::string energyWhy;

  std::string open();
  std::string loadKernels();
  void openCublas();
  void openNvml();

  Allocation allocate(size_t bytes, const std::string &what);
  void upload(cuda::DevicePtr to, const void *from, size_t bytes);
  void download(void *to, cuda::DevicePtr from, size_t bytes);
  cuda::DevicePtr valueOnGpu(int64_t value, const Tensors &t, bool written,
                             const OpName &where);
  ResidentParam &paramOnGpu(const ParamEntry &param, const OptimizerStep *update,
                            const OpName &where);
  KernelArg scalar(const std::string &name, const Tensors &t, const OpName &where) const;
  void launch(size_t kernel, const OpSpec &op, const Tensors &t, const OpName &where);
  void gemm(const OpSpec &op, const Tensors &t, const OpName &where);
  void copyBack(const OpSpec &op, const Tensors &t);
};

//===----------------------------------------------------------------------===//
// Set-up
//===----------------------------------------------------------------------===//

/// Everything the device needs before its first op; returns which image
/// of the kernels the GPU runs.
std::string CudaDevice::Impl::open() {
  cuda::Context context = nullptr;
  driver.check(cu.primaryCtxRetain(&context, driver.ordinal()), "cuDevicePrimaryCtxRetain");
  contextRetained = true;
  driver.check(cu.ctxSetCurrent(context), "cuCtxSetCurrent");
  for (const GpuKernelSpec &kernel : bundle.gpu.kernels)
    for (const GpuKernelArg &arg : kernel.args)
      if (arg.bind.rfind("scalar:", 0) == 0 && !knownScalar(arg.bind.substr(7)))
        throw Error(bundle.path + ": section 'gpu': kernel '" + kernel.name + "' binds '" +
                    arg.bind + "', a scalar hpt-run cannot supply");
  std::string image = loadKernels();
  driver.check(cu.streamCreate(&stream, cuda::kStreamNonBlocking), "cuStreamCreate");
  driver.check(cu.eventCreate(&before, 0), "cuEventCreate");
  driver.check(cu.eventCreate(&after, 0), "cuEventCreate");
  openCublas();
  openNvml();
  return image;
}

std::string CudaDevice::Impl::loadKernels() {
  const CudaGpu &gpu = driver.gpu();
  const std::string arch = gpu.arch();
  std::string cubinFailure;
  std::string image;
  if (auto cubin = bundle.gpu.cubins.find(arch); cubin != bundle.gpu.cubins.end()) {
    cuda::Result r = cu.moduleLoadDataEx(&module, cubin->second.data(), 0, nullptr, nullptr);
    if (r == cuda::kSuccess)
      image = "the cubin for " + arch;
    else
      cubinFailure = ", as the cubin for " + arch + " did not load: " +
                     driver.failure("cuModuleLoadDataEx", r);
  }
  if (!module) {
    const std::string &target = bundle.gpu.ptxTarget;
    const int targetCapability = std::atoi(target.c_str() + std::min<size_t>(3, target.size()));
    if (gpu.major * 10 + gpu.minor < targetCapability)
      throw Error("the GPU is " + arch + ", older than " + target +
                  " that the bundle's PTX targets, and the bundle has no cubin for it");
    char log[8192] = {};
    int jitOptions[] = {cuda::kJitErrorLogBuffer, cuda::kJitErrorLogBufferBytes};
    void *jitValues[] = {log, reinterpret_cast<void *>(uintptr_t(sizeof(log) - 1))};
    cuda::Result r = cu.moduleLoadDataEx(&module, bundle.gpu.ptx.c_str(), 2, jitOptions, jitValues);
    if (r != cuda::kSuccess)
      throw Error("the driver cannot compile the bundle's PTX (" + target + ") for " + arch +
                  ": " + driver.failure("cuModuleLoadDataEx", r) + (*log ? ": " : "") + log +
                  cubinFailure);
    image = "the PTX for " + target + ", compiled by the driver for " + arch + cubinFailure;
  }
  for (const GpuKernelSpec &kernel : bundle.gpu.kernels) {
    std::vector<cuda::Function> &functions = entries.emplace_back();
    for (const hw::gpu::Launch &launch : kernel.launches) {
      cuda::Function function = nullptr;
      driver.check(cu.moduleGetFunction(&function, module, launch.entry.c_str()),
                   "cuModuleGetFunction");
      functions.push_back(function);
    }
  }
  return image;
}

void CudaDevice::Impl::openCublas() {
  bool needed = false;
  for (const auto &[key, op] : bundle.gpu.ops)
    needed |= op.library;
  if (!needed)
    return;
  std::string why;
  blasLibrary = SharedLibrary::openFirst(
      libraryCandidates("HPT_CUBLAS", {"libcublas.so.13", "libcublas.so.12"}), why);
  if (!blasLibrary.valid())
    throw Error(why + " (the GPU's products call cuBLAS; HPT_CUBLAS names the library)");
  if (!blasLibrary.resolve(blas.create, why, {"cublasCreate_v2"}) ||
      !blasLibrary.resolve(blas.destroy, why, {"cublasDestroy_v2"}) ||
      !blasLibrary.resolve(blas.setStream, why, {"cublasSetStream_v2"}) ||
      !blasLibrary.resolve(blas.setMathMode, why, {"cublasSetMathMode"}) ||
      !blasLibrary.resolve(blas.sgemm, why, {"cublasSgemm_v2"}) ||
      !blasLibrary.resolve(blas.sgemmStridedBatched, why, {"cublasSgemmStridedBatched"}))
    throw Error(why + " (not cuBLAS?)");
  auto check = [&](cuda::blas::Status status, const char *call) {
    if (status != cuda::blas::kSuccess)
      throw Error(blasLibrary.name() + ": " + call + " returned cuBLAS status " +
                  std::to_string(status));
  };
  check(blas.create(&handle), "cublasCreate");
  check(blas.setStream(handle, stream), "cublasSetStream");
  // fp32 throughout, as the host: no TF32 tensor-core products.
  check(blas.setMathMode(handle, cuda::blas::kDefaultMath), "cublasSetMathMode");
}

void CudaDevice::Impl::openNvml() {
  nvmlLibrary =
      SharedLibrary::openFirst(libraryCandidates("HPT_NVML", {"libnvidia-ml.so.1"}), energyWhy);
  if (!nvmlLibrary.valid())
    return;
  unsigned long long millijoules = 0;
  if (!nvmlLibrary.resolve(nvml.init, energyWhy, {"nvmlInit_v2"}) ||
      !nvmlLibrary.resolve(nvml.shutdown, energyWhy, {"nvmlShutdown"}) ||
      !nvmlLibrary.resolve(nvml.deviceGetHandleByIndex, energyWhy,
                           {"nvmlDeviceGetHandleByIndex_v2"}) ||
      !nvmlLibrary.resolve(nvml.deviceGetTotalEnergyConsumption, energyWhy,
                           {"nvmlDeviceGetTotalEnergyConsumption"}))
    return;
  if (int r = nvml.init(); r != 0) {
    energyWhy = nvmlLibrary.name() + ": nvmlInit returned " + std::to_string(r);
    return;
  }
  nvmlStarted = true;
  if (int r = nvml.deviceGetHandleByIndex(0, &nvmlDevice); r != 0) {
    energyWhy = "nvmlDeviceGetHandleByIndex returned " + std::to_string(r);
    return;
  }
  if (int r = nvml.deviceGetTotalEnergyConsumption(nvmlDevice, &millijoules); r != 0) {
    energyWhy = "the GPU has no energy counter (nvmlDeviceGetTotalEnergyConsumption returned " +
                std::to_string(r) + ")";
    return;
  }
  energyAtStart = millijoules;
}

CudaDevice::Impl::~Impl() {
  // Teardown reports nothing: a failing call here leaves nothing to save.
  for (auto &[key, value] : values)
    cu.memFree(value.memory.ptr);
  for (auto &[param, copy] : params)
    for (const Allocation *a : {&copy.value, &copy.moment1, &copy.moment2})
      if (a->ptr)
        cu.memFree(a->ptr);
  for (auto &[key, workspace] : workspaces)
    cu.memFree(workspace.ptr);
  if (handle)
    blas.destroy(handle);
  for (cuda::Event event : {before, after})
    if (event)
      cu.eventDestroy(event);
  if (stream)
    cu.streamDestroy(stream);
  if (module)
    cu.moduleUnload(module);
  if (contextRetained)
    cu.primaryCtxRelease(driver.ordinal());
  if (nvmlStarted)
    nvml.shutdown();
}

CudaDevice::CudaDevice(const Bundle &bundle, std::unique_ptr<CudaDriver> cudaDriver,
                       const CudaDeviceOptions &options)
    : driver(std::move(cudaDriver)),
      impl(std::make_unique<Impl>(bundle, *driver, options)) {
  loaded = impl->open();
}

CudaDevice::~CudaDevice() = default;

bool CudaDevice::computes(const FunctionSpec &fn, size_t index) const {
  return impl->bundle.gpu.find(fn.name, index) != nullptr;
}

CudaMeasurements CudaDevice::measurements() const {
  CudaMeasurements m;
  m.eventSeconds = impl->eventSeconds;
  m.peakBytes = impl->peakBytes;
  m.bytesToGpu = impl->bytesToGpu;
  m.bytesFromGpu = impl->bytesFromGpu;
  m.energyUnavailable = impl->energyWhy;
  unsigned long long millijoules = 0;
  if (impl->energyAtStart &&
      impl->nvml.deviceGetTotalEnergyConsumption(impl->nvmlDevice, &millijoules) == 0)
    m.joules = double(millijoules - *impl->energyAtStart) * 1e-3;
  return m;
}

//===----------------------------------------------------------------------===//
// Memory
//===----------------------------------------------------------------------===//

/// `bytes` of GPU memory for `what`, within --gpu-mem-limit and the GPU's
/// own; kept until the device closes.
Allocation CudaDevice::Impl::allocate(size_t bytes, const std::string &what) {
  bytes = std::max<size_t>(bytes, sizeof(float)); // cuMemAlloc refuses 0
  auto outOfMemory = [&](const std::string &why) {
    return Error(what + ": out of GPU memory: " + std::to_string(bytes) + " more bytes, with " +
                 std::to_string(heldBytes) + " held, " + why);
  };
  if (heldBytes + bytes > options.memoryLimit)
    throw outOfMemory("over the " + std::to_string(options.memoryLimit) +
                      " bytes --gpu-mem-limit allows");
  Allocation a;
  a.bytes = bytes;
  if (cuda::Result r = cu.memAlloc(&a.ptr, bytes); r == cuda::kOutOfMemory)
    throw outOfMemory("more than the GPU has free (" + driver.failure("cuMemAlloc", r) + ")");
  else
    driver.check(r, "cuMemAlloc");
  heldBytes += bytes;
  peakBytes = std::max(peakBytes, heldBytes);
  return a;
}

void CudaDevice::Impl::upload(cuda::DevicePtr to, const void *from, size_t bytes) {
  // From pageable memory the call returns once it has staged the bytes, so
  // that the host may reuse its buffer at once.
  driver.check(cu.memcpyHtoDAsync(to, from, bytes, stream), "cuMemcpyHtoDAsync");
  bytesToGpu += bytes;
}

void CudaDevice::Impl::download(void *to, cuda::DevicePtr from, size_t bytes) {
  driver.check(cu.memcpyDtoHAsync(to, from, bytes, stream), "cuMemcpyDtoHAsync");
  bytesFromGpu += bytes;
}

/// The GPU buffer of `value`: uploaded from the host when this run has not
/// put it there (the host computed it, or it is an argument); a buffer the
/// op writes when `written`.
cuda::DevicePtr CudaDevice::Impl::valueOnGpu(int64_t value, const Tensors &t, bool written,
                                             const OpName &where) {
  const Residency &residency = *t.residency;
  const int64_t storage = residency.storage[size_t(value)];
  if (const ParamEntry *param = residency.param[size_t(storage)])
    return paramOnGpu(*param, nullptr, where).value.ptr;
  ResidentValue &slot = values[{residency.program, storage}];
  const size_t bytes = size_t(numElements(t.shapes[size_t(storage)])) * sizeof(float);
  if (!slot.memory.ptr)
    slot.memory = allocate(bytes, where());
  if (!written && slot.run != residency.run)
    upload(slot.memory.ptr, t.ptr[size_t(value)], bytes);
  slot.run = residency.run;
  return slot.memory.ptr;
}

/// A parameter's GPU copies, uploaded again when the host has written it
/// since; for an update, its optimizer state too.
ResidentParam &CudaDevice::Impl::paramOnGpu(const ParamEntry &param, const OptimizerStep *update,
                                            const OpName &where) {
  ResidentParam &copy = params[&param];
  const size_t bytes = size_t(numElements(param.spec.shape)) * sizeof(float);
  // Program::beginUpdate has counted the update's own write already.
  const uint64_t current = param.writes() - (update ? 1 : 0);
  if (!copy.value.ptr)
    copy.value = allocate(bytes, where() + ": parameter '" + param.spec.name + "'");
  if (copy.valueAt != current) {
    upload(copy.value.ptr, param.value().data(), bytes);
    copy.valueAt = current;
  }
  if (update && copy.momentsAt != current) {
    // The host holds the newer state: it wrote it (a checkpoint restored,
    // an update of its own), or the GPU has not updated the parameter yet.
    const std::pair<Allocation *, const std::vector<float> *> moments[] = {
        {&copy.moment1, &param.moment1()}, {&copy.moment2, &param.moment2()}};
    for (int m = 0; m < update->moments; ++m) {
      auto [gpu, host] = moments[m];
      if (!gpu->ptr)
        *gpu = allocate(bytes, where() + ": optimizer state of '" + param.spec.name + "'");
      upload(gpu->ptr, host->data(), bytes);
    }
    copy.momentsAt = current;
  }
  return copy;
}

//===----------------------------------------------------------------------===//
// Ops
//===----------------------------------------------------------------------===//

KernelArg CudaDevice::Impl::scalar(const std::string &name, const Tensors &t,
                                   const OpName &where) const {
  if (name == "step") {
    KernelArg arg{};
    arg.i64 = t.residency->step;
    return arg;
  }
  std::optional<KernelArg> arg;
  if (t.update) {
    if (const auto *sgd = std::get_if<SgdCoefficients>(&t.update->coefficients))
      arg = sgdScalar(name, *sgd);
    else
      arg = adamScalar(name, std::get<AdamCoefficients>(t.update->coefficients));
  }
  if (!arg)
    throw Error(where() + ": its kernel binds 'scalar:" + name + "', which this op does not have");
  return *arg;
}

/// Every launch of kernel `kernel` for `op`, its arguments bound as the
/// bundle says.
void CudaDevice::Impl::launch(size_t kernel, const OpSpec &op, const Tensors &t,
                              const OpName &where) {
  const GpuKernelSpec &spec = bundle.gpu.kernels[kernel];
  std::vector<KernelArg> args(spec.args.size());
  std::vector<void *> pointers(spec.args.size());
  ResidentParam *state = nullptr;
  auto stateOf = [&]() -> ResidentParam & {
    if (!t.update)
      throw Error(where() + ": its kernel binds optimizer state, but the op updates nothing");
    if (!state)
      state = &paramOnGpu(*t.update->param, t.update, where);
    return *state;
  };
  for (size_t i = 0; i < spec.args.size(); ++i) {
    const std::string &bind = spec.args[i].bind;
    if (bind.rfind("operand:", 0) == 0)
      args[i].pointer = valueOnGpu(op.operands[std::stoul(bind.substr(8))], t, false, where);
    else if (bind.rfind("result:", 0) == 0) {
      // A linear layer's bias epilogue reads the product cuBLAS wrote.
      args[i].pointer = valueOnGpu(op.results[std::stoul(bind.substr(7))], t, true, where);
    } else if (bind == "param")
      args[i].pointer = stateOf().value.ptr;
    else if (bind == "moment1" || bind == "moment2") {
      const Allocation &moment = bind == "moment1" ? stateOf().moment1 : stateOf().moment2;
      if (!moment.ptr)
        throw Error(where() + ": its kernel binds '" + bind +
                    "', which the optimizer does not keep");
      args[i].pointer = moment.ptr;
    } else if (bind == "workspace") {
      Allocation &workspace = workspaces[{kernel, i}];
      if (!workspace.ptr) {
        const size_t element = spec.args[i].element == "f64" ? 8 : 4;
        workspace = allocate(size_t(numElements(spec.args[i].shape)) * element,
                             where() + ": workspace of kernel '" + spec.name + "'");
      }
      args[i].pointer = workspace.ptr;
    } else
      args[i] = scalar(bind.substr(7), t, where);
    pointers[i] = &args[i];
  }
  for (size_t l = 0; l < spec.launches.size(); ++l) {
    const hw::gpu::Launch &launch = spec.launches[l];
    if (cuda::Result r = cu.launchKernel(entries[kernel][l], unsigned(launch.grid), 1, 1,
                                         unsigned(launch.block), 1, 1, 0, stream,
                                         pointers.data(), nullptr);
        r != cuda::kSuccess)
      throw Error(where() + ": launch " + std::to_string(l) + " of kernel '" + spec.name +
                  "' (" + launch.entry + "): " + driver.failure("cuLaunchKernel", r));
  }
}

/// `op`'s product as one cuBLAS sgemm (or a strided batch of them).
void CudaDevice::Impl::gemm(const OpSpec &op, const Tensors &t, const OpName &where) {
  const CublasGemm g = cublasGemmFor(op, t.shapes);
  for (int64_t size : {g.m, g.n, g.k, g.lda, g.ldb, g.ldc, g.batch})
    if (size > INT_MAX)
      throw Error(where() + ": a product dimension of " + std::to_string(size) +
                  " is beyond cuBLAS's 32-bit sgemm");
  const auto *a = reinterpret_cast<const float *>(valueOnGpu(op.operands[g.a], t, false, where));
  const auto *b = reinterpret_cast<const float *>(valueOnGpu(op.operands[g.b], t, false, where));
  auto *c = reinterpret_cast<float *>(valueOnGpu(op.results[0], t, true, where));
  const float one = 1.0f, zero = 0.0f;
  const int transA = g.transA ? cuda::blas::kOpT : cuda::blas::kOpN;
  const int transB = g.transB ? cuda::blas::kOpT : cuda::blas::kOpN;
  const cuda::blas::Status status =
      g.batch == 1
          ? blas.sgemm(handle, transA, transB, int(g.m), int(g.n), int(g.k), &one, a, int(g.lda),
                       b, int(g.ldb), &zero, c, int(g.ldc))
          : blas.sgemmStridedBatched(handle, transA, transB, int(g.m), int(g.n), int(g.k), &one,
                                     a, int(g.lda), g.strideA, b, int(g.ldb), g.strideB, &zero,
                                     c, int(g.ldc), g.strideC, int(g.batch));
  if (status != cuda::blas::kSuccess)
    throw Error(where() + ": cuBLAS sgemm returned status " + std::to_string(status));
}

/// Copies to the host the results read there. An update's parameter and
/// state stay here: the host's copy catches up when something reads it.
void CudaDevice::Impl::copyBack(const OpSpec &op, const Tensors &t) {
  const Residency &residency = *t.residency;
  for (int64_t v : op.results) {
    const int64_t storage = residency.storage[size_t(v)];
    if (!residency.readElsewhere[size_t(storage)])
      continue;
    const ResidentValue &slot = values.at({residency.program, storage});
    const size_t bytes = size_t(numElements(t.shapes[size_t(v)])) * sizeof(float);
    download(t.ptr[size_t(v)], slot.memory.ptr, bytes);
  }
  if (!t.update)
    return;
  ParamEntry &param = *t.update->param;
  ResidentParam &copy = params.at(&param);
  copy.valueAt = copy.momentsAt = param.writes();
  param.heldNewerBy([this, alive = std::weak_ptr<const bool>(alive), &copy,
                     name = param.spec.name](float *value, float *moment1, float *moment2) {
    if (alive.expired())
      throw Error("parameter '" + name + "': its newest value was on the GPU, which is closed");
    const std::pair<float *, const Allocation *> buffers[] = {
        {value, &copy.value}, {moment1, &copy.moment1}, {moment2, &copy.moment2}};
    for (auto [host, gpu] : buffers)
      if (host && gpu->ptr)
        download(host, gpu->ptr, gpu->bytes);
    driver.check(cu.streamSynchronize(stream), "cuStreamSynchronize");
  });
}

OpCost CudaDevice::run(const FunctionSpec &fn, size_t index, const Tensors &tensors) {
  Impl &d = *impl;
  OpCost cost = d.roofline.run(fn, index, tensors); // modelled
  const GpuOp *gpuOp = d.bundle.gpu.find(fn.name, index);
  if (!gpuOp)
    return cost; // the host computes it
  if (!tensors.residency)
    throw Error("the CUDA device runs only ops of a program that says where its values are");
  const OpSpec &op = fn.ops[index];
  const OpName where{d.bundle.path, fn, index};
  const bool timed = tensors.residency->timed;
  if (timed)
    d.driver.check(d.cu.eventRecord(d.before, d.stream), "cuEventRecord");
  if (op.op == "dropout" && !tensors.residency->training) { // evaluation: the identity
    const size_t bytes = size_t(numElements(tensors.shapes[size_t(op.results[0])])) * sizeof(float);
    cuda::DevicePtr from = d.valueOnGpu(op.operands[0], tensors, false, where);
    cuda::DevicePtr to = d.valueOnGpu(op.results[0], tensors, true, where);
    d.driver.check(d.cu.memcpyDtoDAsync(to, from, bytes, d.stream), "cuMemcpyDtoDAsync");
  } else {
    if (gpuOp->library)
      d.gemm(op, tensors, where);
    if (gpuOp->kernel)
      d.launch(*gpuOp->kernel, op, tensors, where);
  }
  d.copyBack(op, tensors);
  if (timed) {
    d.driver.check(d.cu.eventRecord(d.after, d.stream), "cuEventRecord");
    d.driver.check(d.cu.eventSynchronize(d.after), "cuEventSynchronize");
    float milliseconds = 0;
    d.driver.check(d.cu.eventElapsedTime(&milliseconds, d.before, d.after), "cuEventElapsedTime");
    d.eventSeconds += 1e-3 * milliseconds;
    cost.counts.emplace_back("gpu_event_ns", uint64_t(1e6 * double(milliseconds)));
  }
  return cost;
}

void CudaDevice::finish() {
  impl->driver.check(impl->cu.streamSynchronize(impl->stream), "cuStreamSynchronize");
}

} // namespace hpt::rt
