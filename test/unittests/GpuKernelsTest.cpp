//===- GpuKernelsTest.cpp - the GPU kernels' semantics against the host's -===//
//
// Each test compiles one op placed on the GPU with convert-hpt-to-gpu,
// lowers its kernel to the host through LLVM (the same bufferized loops the
// GPU mapping starts from, without the thread mapping: this checks what the
// kernels compute, not how threads share the work) and runs it with MLIR's
// ExecutionEngine on random inputs. The results must match the host
// runtime's kernel (runtime/host/Kernels.h) within 1e-5 relative per tensor:
// max |gpu − host| ≤ 1e-5 · max |host|. Each kernel's launches are also
// emulated on the host, a call of the gpu.func per block and thread with the
// launch table's grid and block (lowerGpuFuncsForHost): they must give the
// same bits as the kernel run whole, which checks the thread mapping, the
// guards and the launch table; only PTX code generation stays unchecked.
//
//===----------------------------------------------------------------------===//

#include "dialects/hpt/HptDialect.h"
#include "hpt/Target/GpuProgram.h"
#include "hpt/Transforms/Passes.h"
#include "runtime/host/Kernels.h"
#include "test/unittests/RandomFloats.h"

#include "mlir/ExecutionEngine/ExecutionEngine.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Target/LLVMIR/Dialect/Builtin/BuiltinToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/LLVMIR/LLVMToLLVMIRTranslation.h"
#include "llvm/Support/TargetSelect.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <functional>
#include <map>
#include <string>
#include <variant>
#include <vector>

using namespace mlir;

namespace {

using Buffer = std::vector<float>;
using Scalar = std::variant<float, int64_t, int32_t>;

/// Inputs and in-place state for one kernel call, by binding.
struct Call {
  std::vector<Buffer> operands;
  Buffer param, moment1, moment2;
  std::map<std::string, Scalar> scalars;
  /// What a result holds before the call (a linear layer's product, which
  /// its bias epilogue reads); NaN where not given.
  std::vector<Buffer> resultsBefore = {};
};

/// What a call wrote: the results, and the state it updated.
struct Outcome {
  std::vector<Buffer> results;
  Buffer param, moment1, moment2;
};

int64_t elementsOf(Type type) {
  auto shaped = cast<ShapedType>(type);
  return shaped.getRank() == 0 ? 1 : shaped.getNumElements();
}

/// One op's kernel, compiled for the host.
class HostKernel {
public:
  explicit HostKernel(const std::string &source) {
    static const bool targetsReady = [] {
      llvm::InitializeNativeTarget();
      llvm::InitializeNativeTargetAsmPrinter();
      return true;
    }();
    (void)targetsReady;
    DialectRegistry registry;
    registry.insert<hpt::HptDialect>();
    hpt::registerGpuLowering(registry);
    registerBuiltinDialectTranslation(registry);
    registerLLVMDialectTranslation(registry);
    context.appendDialectRegistry(registry);
    context.loadAllAvailableDialects();
    module = parseSourceString<ModuleOp>(source, &context);
    if (!module)
      return;
    PassManager pm(&context);
    pm.addPass(hpt::createConvertHptToGpu());
    if (failed(pm.run(*module)))
      return;
    auto kernels = module->lookupSymbol<ModuleOp>("hpt_gpu");
    if (!kernels)
      return;
    auto kernel = *kernels.getOps<func::FuncOp>().begin();
    name = kernel.getName().str();
    types = SmallVector<Type>(kernel.getArgumentTypes());
    for (Attribute binding : kernel->getAttrOfType<ArrayAttr>("hpt.gpu_args"))
      bindings.push_back(cast<StringAttr>(binding).getValue().str());
    FailureOr<OwningOpRef<ModuleOp>> lowered = hpt::lowerKernelsToLLVM(*module);
    FailureOr<OwningOpRef<ModuleOp>> gpuLevel = hpt::lowerToGpuDialect(*module, {});
    if (failed(lowered) || failed(gpuLevel))
      return;
    for (const hpt::GpuKernelLaunches &kernel : hpt::launchesOf(**gpuLevel))
      if (kernel.kernel == name)
        launches = kernel.launches;
    FailureOr<OwningOpRef<ModuleOp>> threads = hpt::lowerGpuFuncsForHost(**gpuLevel);
    if (failed(threads))
      return;
    llvmModule = std::move(*lowered);
    threadModule = std::move(*threads);
    engine = jit(*llvmModule);
    emulator = jit(*threadModule);
  }

  bool ready() const { return engine && emulator && !launches.empty(); }

  /// The kernel run whole on the host, and its launches emulated thread by
  /// thread (the GPU's mapping): both must give the same bits.
  Outcome run(const Call &call) {
    Outcome whole = execute(call, false), threads = execute(call, true);
    EXPECT_TRUE(sameBits(whole.results, threads.results)) << name << ": the launches differ";
    EXPECT_TRUE(sameBits({whole.param, whole.moment1, whole.moment2},
                         {threads.param, threads.moment1, threads.moment2}))
        << name << ": the launches update differently";
    return whole;
  }

private:
  static std::unique_ptr<ExecutionEngine> jit(ModuleOp module) {
    auto created = ExecutionEngine::create(module);
    if (!created) {
      llvm::consumeError(created.takeError());
      return nullptr;
    }
    return std::move(*created);
  }

  static bool sameBits(const std::vector<Buffer> &a, const std::vector<Buffer> &b) {
    if (a.size() != b.size())
      return false;
    for (size_t i = 0; i < a.size(); ++i)
      if (a[i].size() != b[i].size() ||
          std::memcmp(a[i].data(), b[i].data(), a[i].size() * sizeof(float)) != 0)
        return false;
    return true;
  }

  Outcome execute(Call call, bool emulate) {
    Outcome out;
    out.param = std::move(call.param);
    out.moment1 = std::move(call.moment1);
    out.moment2 = std::move(call.moment2);
    std::vector<std::vector<double>> workspaces;
    std::vector<void *> pointers(types.size());
    std::vector<Scalar> scalars(types.size());
    std::vector<void *> packed;
    // Results first, so that the vectors do not move once pointed to.
    for (size_t i = 0; i < types.size(); ++i)
      if (bindings[i].rfind("result:", 0) == 0)
        out.results.resize(std::max<size_t>(out.results.size(), std::stoul(bindings[i].substr(7)) + 1));
    for (size_t i = 0; i < types.size(); ++i) {
      if (bindings[i].rfind("result:", 0) != 0)
        continue;
      const size_t r = std::stoul(bindings[i].substr(7));
      if (r < call.resultsBefore.size())
        out.results[r] = call.resultsBefore[r];
      else
        out.results[r].assign(elementsOf(types[i]), std::nanf(""));
    }
    workspaces.reserve(types.size());
    for (size_t i = 0; i < types.size(); ++i) {
      const std::string &b = bindings[i];
      if (b.rfind("operand:", 0) == 0)
        pointers[i] = call.operands.at(std::stoul(b.substr(8))).data();
      else if (b.rfind("result:", 0) == 0)
        pointers[i] = out.results[std::stoul(b.substr(7))].data();
      else if (b == "param")
        pointers[i] = out.param.data();
      else if (b == "moment1")
        pointers[i] = out.moment1.data();
      else if (b == "moment2")
        pointers[i] = out.moment2.data();
      else if (b == "workspace") {
        // Filled with garbage: a kernel must not read what it did not write.
        const int64_t bytes = elementsOf(types[i]) *
                              (cast<ShapedType>(types[i]).getElementType().getIntOrFloatBitWidth() / 8);
        workspaces.emplace_back((bytes + 7) / 8, std::nan(""));
        pointers[i] = workspaces.back().data();
      } else
        scalars[i] = call.scalars.at(b.substr(7));
    }
    for (size_t i = 0; i < types.size(); ++i) {
      if (isa<ShapedType>(types[i]))
        packed.push_back(&pointers[i]);
      else
        packed.push_back(std::visit([](auto &v) -> void * { return &v; }, scalars[i]));
    }
    if (!emulate) {
      llvm::Error error = engine->invokePacked(name, packed);
      EXPECT_FALSE(static_cast<bool>(error)) << llvm::toString(std::move(error));
      return out;
    }
    int64_t block = 0, thread = 0;
    packed.push_back(&block);
    packed.push_back(&thread);
    for (const hpt::hw::gpu::Launch &launch : launches)
      for (block = 0; block < launch.grid; ++block)
        for (thread = 0; thread < launch.block; ++thread) {
          llvm::Error error = emulator->invokePacked(launch.entry, packed);
          if (error) {
            ADD_FAILURE() << launch.entry << ": " << llvm::toString(std::move(error));
            return out;
          }
        }
    return out;
  }

  MLIRContext context;
  OwningOpRef<ModuleOp> module, llvmModule, threadModule;
  std::unique_ptr<ExecutionEngine> engine, emulator;
  std::vector<hpt::hw::gpu::Launch> launches;
  std::string name;
  SmallVector<Type> types;
  std::vector<std::string> bindings;
};

Buffer randomBuffer(size_t n, unsigned seed, float low = -2.0f, float high = 2.0f) {
  return hpt::test::randomFloats(n, seed, low, high);
}

/// max |a − b| ≤ 1e-5 · max |b|, and no NaN where the host has none.
void expectClose(const Buffer &gpu, const Buffer &host, const char *what) {
  ASSERT_EQ(gpu.size(), host.size()) << what;
  double worst = 0, scale = 0;
  for (size_t i = 0; i < host.size(); ++i) {
    ASSERT_FALSE(std::isnan(gpu[i]) && !std::isnan(host[i])) << what << " element " << i;
    worst = std::max(worst, std::abs(double(gpu[i]) - double(host[i])));
    scale = std::max(scale, std::abs(double(host[i])));
  }
  EXPECT_LE(worst, 1e-5 * scale) << what << ": max difference " << worst << " against max |host| "
                                 << scale;
}

std::string module(const std::string &args, const std::string &body, const std::string &results) {
  return "func.func @f(" + args + ") -> (" + results + ") {\n" + body + "\n}\n";
}

constexpr const char *kGpu = "{hpt.device = #hpt.device<gpu>}";

TEST(GpuKernelsTest, Elementwise) {
  const std::string t = "tensor<3x37xf32>";
  const int64_t n = 3 * 37;
  struct Case {
    std::string op;
    bool binary;
    std::function<void(const float *, const float *, float *)> host;
  };
  const std::vector<Case> cases = {
      {"hpt.add %a, %b", true, [&](const float *a, const float *b, float *o) { hpt::rt::add(a, b, o, n); }},
      {"hpt.scale %a by 1.250000e-01", false,
       [&](const float *a, const float *, float *o) { hpt::rt::scale(a, 0.125f, o, n); }},
      {"hpt.relu %a", false, [&](const float *a, const float *, float *o) { hpt::rt::reluForward(a, o, n); }},
      {"hpt.relu_grad %a, %b", true,
       [&](const float *a, const float *b, float *o) { hpt::rt::reluBackward(a, b, o, n); }},
      {"hpt.gelu %a", false,
       [&](const float *a, const float *, float *o) { hpt::rt::geluForward(a, o, n, false); }},
      {"hpt.gelu %a approximate tanh", false,
       [&](const float *a, const float *, float *o) { hpt::rt::geluForward(a, o, n, true); }},
      {"hpt.gelu_grad %a, %b", true,
       [&](const float *a, const float *b, float *o) { hpt::rt::geluBackward(a, b, o, n, false); }},
      {"hpt.gelu_grad %a, %b approximate tanh", true,
       [&](const float *a, const float *b, float *o) { hpt::rt::geluBackward(a, b, o, n, true); }},
      {"hpt.mse_loss_grad %a, %b", true,
       [&](const float *a, const float *b, float *o) { hpt::rt::mseBackward(a, b, 1.0f, o, n); }},
      {"hpt.positional_encoding %a", false, nullptr},
  };
  for (const Case &c : cases) {
    // The positional encoding needs an even last axis.
    const bool pe = c.op.rfind("hpt.positional_encoding", 0) == 0;
    const std::string type = pe ? "tensor<1x3x38xf32>" : t;
    const int64_t count = pe ? 3 * 38 : n;
    HostKernel kernel(module("%a: " + type + ", %b: " + type,
                             "  %r = " + c.op + " " + kGpu + " : " + type + "\n  return %r : " + type,
                             type));
    ASSERT_TRUE(kernel.ready()) << c.op;
    Buffer a = randomBuffer(count, 3), b = randomBuffer(count, 4);
    Outcome out = kernel.run({{a, b}, {}, {}, {}, {}});
    Buffer host(count);
    if (pe)
      hpt::rt::positionalEncoding(a.data(), host.data(), 1, 3, 38);
    else
      c.host(a.data(), b.data(), host.data());
    expectClose(out.results[0], host, c.op.c_str());
  }
}

TEST(GpuKernelsTest, DropoutDrawsTheHostsPhiloxStream) {
  const std::string t = "tensor<5x203xf32>";
  HostKernel kernel(module("%a: " + t,
                           "  %r = hpt.dropout %a p 2.500000e-01 seed 77 " + std::string(kGpu) + " : " + t +
                               "\n  return %r : " + t,
                           t));
  ASSERT_TRUE(kernel.ready());
  const Buffer x = randomBuffer(5 * 203, 5);
  for (int64_t step : {int64_t(0), int64_t(3), int64_t(1) << 33}) {
    Outcome out = kernel.run({{x}, {}, {}, {}, {{"step", step}}});
    Buffer host(x.size());
    hpt::rt::dropout(x.data(), host.data(), int64_t(x.size()), 0.25f, 77, uint64_t(step));
    EXPECT_EQ(out.results[0], host) << "step " << step;
  }
}

TEST(GpuKernelsTest, Softmax) {
  for (const auto &[type, axis, outer, size, inner] :
       std::vector<std::tuple<std::string, int, int64_t, int64_t, int64_t>>{
           {"tensor<2x3x57xf32>", -1, 6, 57, 1}, {"tensor<2x9x4xf32>", 1, 2, 9, 4}}) {
    const int64_t n = outer * size * inner;
    const std::string ax = std::to_string(axis);
    HostKernel forward(module("%a: " + type,
                              "  %r = hpt.softmax %a axis " + ax + " " + kGpu + " : " + type +
                                  "\n  return %r : " + type,
                              type));
    ASSERT_TRUE(forward.ready());
    const Buffer x = randomBuffer(n, 6, -8.0f, 8.0f);
    Buffer host(n);
    hpt::rt::softmaxForward(x.data(), host.data(), outer, size, inner);
    expectClose(forward.run({{x}, {}, {}, {}, {}}).results[0], host, "softmax");

    HostKernel backward(module("%a: " + type + ", %b: " + type,
                               "  %r = hpt.softmax_grad %a, %b axis " + ax + " " + kGpu + " : " + type +
                                   "\n  return %r : " + type,
                               type));
    ASSERT_TRUE(backward.ready());
    const Buffer dy = randomBuffer(n, 7);
    Buffer dx(n);
    hpt::rt::softmaxBackward(dy.data(), host.data(), dx.data(), outer, size, inner);
    expectClose(backward.run({{dy, host}, {}, {}, {}, {}}).results[0], dx, "softmax_grad");
  }
}

TEST(GpuKernelsTest, LayerNormAndItsGradients) {
  const int64_t rows = 2 * 7, d = 48;
  const std::string t = "tensor<2x7x48xf32>", p = "tensor<48xf32>";
  const Buffer x = randomBuffer(rows * d, 8, -3.0f, 5.0f), gamma = randomBuffer(d, 9),
               beta = randomBuffer(d, 10), dy = randomBuffer(rows * d, 11);
  HostKernel forward(module("%x: " + t + ", %g: " + p + ", %b: " + p,
                            "  %r = hpt.layer_norm %x, %g, %b eps 1.000000e-05 " + std::string(kGpu) +
                                " : (" + t + ", " + p + ", " + p + ") -> " + t + "\n  return %r : " + t,
                            t));
  ASSERT_TRUE(forward.ready());
  Buffer y(rows * d);
  hpt::rt::layerNormForward(x.data(), gamma.data(), beta.data(), y.data(), rows, d, 1e-5f);
  expectClose(forward.run({{x, gamma, beta}, {}, {}, {}, {}}).results[0], y, "layer_norm");

  HostKernel backward(module(
      "%dy: " + t + ", %x: " + t + ", %g: " + p,
      "  %dx, %dg, %db = hpt.layer_norm_grad %dy, %x, %g eps 1.000000e-05 " + std::string(kGpu) + " : (" + t +
          ", " + t + ", " + p + ") -> (" + t + ", " + p + ", " + p + ")\n  return %dx, %dg, %db : " + t + ", " + p +
          ", " + p,
      t + ", " + p + ", " + p));
  ASSERT_TRUE(backward.ready());
  Buffer dx(rows * d), dgamma(d), dbeta(d);
  hpt::rt::layerNormBackward(dy.data(), x.data(), gamma.data(), dx.data(), dgamma.data(), dbeta.data(), rows, d,
                             1e-5f);
  Outcome out = backward.run({{dy, x, gamma}, {}, {}, {}, {}});
  expectClose(out.results[0], dx, "dx");
  expectClose(out.results[1], dgamma, "dgamma");
  expectClose(out.results[2], dbeta, "dbeta");
}

TEST(GpuKernelsTest, LossAndReductions) {
  const std::string t = "tensor<3x5x29xf32>";
  const int64_t n = 3 * 5 * 29;
  const Buffer p = randomBuffer(n, 12), q = randomBuffer(n, 13);
  HostKernel loss(module("%p: " + t + ", %q: " + t,
                         "  %l = hpt.mse_loss %p, %q " + std::string(kGpu) + " : " + t +
                             " -> tensor<f32>\n  return %l : tensor<f32>",
                         "tensor<f32>"));
  ASSERT_TRUE(loss.ready());
  expectClose(loss.run({{p, q}, {}, {}, {}, {}}).results[0], {hpt::rt::mseForward(p.data(), q.data(), n)},
              "mse_loss");

  HostKernel rows(module("%p: " + t,
                         "  %r = hpt.reduce_rows %p " + std::string(kGpu) + " : " + t +
                             " -> tensor<29xf32>\n  return %r : tensor<29xf32>",
                         "tensor<29xf32>"));
  ASSERT_TRUE(rows.ready());
  Buffer sums(29);
  hpt::rt::sumRows(p.data(), sums.data(), 15, 29);
  expectClose(rows.run({{p}, {}, {}, {}, {}}).results[0], sums, "reduce_rows");
}

TEST(GpuKernelsTest, DataMovement) {
  const Buffer x = randomBuffer(2 * 3 * 5, 14), y = randomBuffer(2 * 4 * 5, 15);
  HostKernel transpose(module("%x: tensor<2x3x5xf32>",
                              "  %r = hpt.transpose %x [2, 0, 1] " + std::string(kGpu) +
                                  " : tensor<2x3x5xf32> -> tensor<5x2x3xf32>\n  return %r : tensor<5x2x3xf32>",
                              "tensor<5x2x3xf32>"));
  ASSERT_TRUE(transpose.ready());
  Buffer host(30);
  hpt::rt::transpose(x.data(), host.data(), {2, 3, 5}, {2, 0, 1});
  expectClose(transpose.run({{x}, {}, {}, {}, {}}).results[0], host, "transpose");

  HostKernel concat(module("%x: tensor<2x3x5xf32>, %y: tensor<2x4x5xf32>",
                           "  %r = hpt.concat %x, %y axis 1 " + std::string(kGpu) +
                               " : (tensor<2x3x5xf32>, tensor<2x4x5xf32>) -> tensor<2x7x5xf32>\n"
                               "  return %r : tensor<2x7x5xf32>",
                           "tensor<2x7x5xf32>"));
  ASSERT_TRUE(concat.ready());
  Buffer joined(70);
  hpt::rt::concat({x.data(), y.data()}, {3, 4}, joined.data(), 2, 5);
  expectClose(concat.run({{x, y}, {}, {}, {}, {}}).results[0], joined, "concat");

  HostKernel slice(module("%y: tensor<2x4x5xf32>",
                          "  %r = hpt.slice %y axis 1 offset 1 size 2 " + std::string(kGpu) +
                              " : tensor<2x4x5xf32> -> tensor<2x2x5xf32>\n  return %r : tensor<2x2x5xf32>",
                          "tensor<2x2x5xf32>"));
  ASSERT_TRUE(slice.ready());
  Buffer part(20);
  hpt::rt::slice(y.data(), part.data(), 2, 4, 5, 1, 2);
  expectClose(slice.run({{y}, {}, {}, {}, {}}).results[0], part, "slice");
}

TEST(GpuKernelsTest, LinearBiasEpilogue) {
  // The kernel adds the bias to the product cuBLAS left in the result.
  HostKernel kernel(module("%x: tensor<2x3x8xf32>, %w: tensor<6x8xf32>, %b: tensor<6xf32>",
                           "  %r = hpt.linear %x, %w, %b " + std::string(kGpu) +
                               " : (tensor<2x3x8xf32>, tensor<6x8xf32>, tensor<6xf32>) -> tensor<2x3x6xf32>\n"
                               "  return %r : tensor<2x3x6xf32>",
                           "tensor<2x3x6xf32>"));
  ASSERT_TRUE(kernel.ready());
  const Buffer x = randomBuffer(48, 16), w = randomBuffer(48, 17), b = randomBuffer(6, 18);
  Buffer product(36), host(36);
  hpt::rt::linearForward(x.data(), w.data(), nullptr, product.data(), 6, 8, 6);
  hpt::rt::linearForward(x.data(), w.data(), b.data(), host.data(), 6, 8, 6);
  Call call{{x, w, b}, {}, {}, {}, {}};
  call.resultsBefore = {product};
  expectClose(kernel.run(call).results[0], host, "linear bias");
}

std::string update(const std::string &op, const std::string &attrs) {
  return "hpt.param @w : tensor<7x13xf32> init <ones> seed 0 trainable\n" +
         module("%g: tensor<7x13xf32>",
                "  %lr = hpt.constant_lr 1.000000e-02 : tensor<f32>\n  " + op + " @w, %g, %lr " + attrs + " " +
                    kGpu + " : tensor<7x13xf32>\n  return",
                "");
}

TEST(GpuKernelsTest, SgdUpdates) {
  const int64_t n = 7 * 13;
  const Buffer g = randomBuffer(n, 19), w = randomBuffer(n, 20), buf = randomBuffer(n, 21);
  for (const auto &[nesterov, momentum] : std::vector<std::pair<bool, float>>{{false, 0.0f}, {false, 0.9f}, {true, 0.9f}}) {
    // Nesterov takes no dampening (PyTorch refuses it).
    const float dampening = nesterov ? 0.0f : 0.1f;
    HostKernel kernel(update("hpt.sgd_update", "momentum " + std::to_string(momentum) + " dampening " +
                                                  std::to_string(dampening) + " weight_decay 1.000000e-02" +
                                                  (nesterov ? " nesterov" : "")));
    ASSERT_TRUE(kernel.ready());
    for (int64_t step : {1, 4}) {
      const hpt::rt::SgdCoefficients k =
          hpt::rt::sgdCoefficients(0.01f, momentum, dampening, 0.01f, nesterov, step);
      Call call{{g}, w, momentum != 0.0f ? buf : Buffer{}, {}, {}};
      call.scalars = {{"negLr", k.negLr},
                      {"momentum", k.momentum},
                      {"oneMinusDampening", k.oneMinusDampening},
                      {"weightDecay", k.weightDecay},
                      {"first", int32_t(k.first)}};
      Outcome out = kernel.run(call);
      Buffer hw = w, hb = buf;
      hpt::rt::sgdUpdate(hw.data(), g.data(), momentum != 0.0f ? hb.data() : nullptr, n, k);
      expectClose(out.param, hw, "sgd parameter");
      if (momentum != 0.0f)
        expectClose(out.moment1, hb, "sgd momentum");
    }
  }
}

TEST(GpuKernelsTest, AdamUpdates) {
  const int64_t n = 7 * 13;
  const Buffer g = randomBuffer(n, 22), w = randomBuffer(n, 23), m = randomBuffer(n, 24);
  const Buffer v = randomBuffer(n, 25, 0.0f, 0.5f);
  for (const std::string op : {"hpt.adam_update", "hpt.adamw_update"}) {
    HostKernel kernel(update(op, "beta1 9.000000e-01 beta2 0.99899999999999999 eps 1.000000e-08 weight_decay 1.000000e-02"));
    ASSERT_TRUE(kernel.ready()) << op;
    const hpt::rt::AdamCoefficients k =
        hpt::rt::adamCoefficients(0.01f, 0.9, 0.999, 1e-8, 0.01, op == "hpt.adamw_update", 3);
    Call call{{g}, w, m, v, {}};
    call.scalars = {{"beta1", k.beta1},   {"oneMinusBeta1", k.oneMinusBeta1}, {"beta2", k.beta2},
                    {"oneMinusBeta2", k.oneMinusBeta2}, {"negStepSize", k.negStepSize},
                    {"sqrtBias2", k.sqrtBias2}, {"eps", k.eps}, {"decay", k.decay}, {"l2", k.l2}};
    Outcome out = kernel.run(call);
    Buffer hw = w, hm = m, hv = v;
    hpt::rt::adamUpdate(hw.data(), g.data(), hm.data(), hv.data(), n, k);
    expectClose(out.param, hw, "adam parameter");
    expectClose(out.moment1, hm, "adam first moment");
    expectClose(out.moment2, hv, "adam second moment");
  }
}

} // namespace
