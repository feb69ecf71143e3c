//===- CoreTest.cpp - bundles, programs, archives and checkpoints ---------===//

#include "runtime/core/Archive.h"
#include "runtime/core/Checkpoint.h"
#include "hardware/BundleFormat.h"
#include "hardware/Checksum.h"
#include "hardware/systolic/Planner.h"
#include "hardware/systolic/Stream.h"
#include "runtime/core/Error.h"
#include "runtime/core/Program.h"
#include "runtime/core/Trainer.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <numeric>
#include <set>
#include <sstream>

using namespace hpt::rt;
using ::testing::HasSubstr;

namespace {
std::string withHeader(const std::string &payload) { return bundleWithProgram(payload); }

/// y = relu(x·Wᵀ) with W a 2x3 parameter; loss = mse(y, t); one SGD step.
const char *kLinearPayload = R"({"format":"hpt-bundle","version":3,
 "programs":[{"train":"train_step","eval":"forward"}],
 "params":[{"name":"w","shape":[2,3],"init":"uniform_fan_in","fan_in":3,"seed":5,"trainable":true}],
 "functions":[
  {"name":"forward","args":[[1,3],[1,2]],"values":5,"returns":[4,3],"ops":[
    {"op":"get_param","operands":[],"results":[2],"shapes":[[2,3]],"attrs":{"name":"w"},"loc":"m.mlir:3:5"},
    {"op":"linear","operands":[0,2],"results":[3],"shapes":[[1,2]],"attrs":{},"loc":""},
    {"op":"mse_loss","operands":[3,1],"results":[4],"shapes":[[]],"attrs":{},"loc":""}]},
  {"name":"train_step","args":[[1,3],[1,2]],"values":8,"returns":[4,3],"ops":[
    {"op":"get_param","operands":[],"results":[2],"shapes":[[2,3]],"attrs":{"name":"w"},"loc":""},
    {"op":"linear","operands":[0,2],"results":[3],"shapes":[[1,2]],"attrs":{},"loc":""},
    {"op":"mse_loss","operands":[3,1],"results":[4],"shapes":[[]],"attrs":{},"loc":""},
    {"op":"mse_loss_grad","operands":[3,1],"results":[5],"shapes":[[1,2]],"attrs":{},"loc":""},
    {"op":"matmul","operands":[5,0],"results":[6],"shapes":[[2,3]],"attrs":{"transpose_lhs":true},"loc":""},
    {"op":"constant_lr","operands":[],"results":[7],"shapes":[[]],"attrs":{"base":0.5},"loc":""},
    {"op":"sgd_update","operands":[6,7],"results":[],"shapes":[],"attrs":{"param":"w","momentum":0,"dampening":0,"weight_decay":0},"loc":""}]}]})";

std::string errorOf(const std::function<void()> &action) {
  try {
    action();
  } catch (const Error &e) {
    return e.what();
  }
  return "no error";
}

std::string tempPath(const std::string &name) {
  return (std::filesystem::temp_directory_path() /
          ("hpt-core-test-" + std::to_string(::getpid()) + "-" + name))
      .string();
}
} // namespace

TEST(BundleTest, ParsesAndChecksTheHeader) {
  Bundle bundle = parseBundle(withHeader(kLinearPayload), "m.hptb");
  ASSERT_EQ(bundle.params.size(), 1u);
  EXPECT_EQ(bundle.params[0].shape, (Shape{2, 3}));
  ASSERT_NE(bundle.function("train_step"), nullptr);
  EXPECT_EQ(bundle.function("train_step")->ops.size(), 7u);
  EXPECT_EQ(bundle.checksum, hpt::hw::bundle::checksum({{"program", kLinearPayload}}));

  std::string text = withHeader(kLinearPayload);
  EXPECT_THAT(errorOf([&] { parseBundle(text.substr(0, 200), "m.hptb"); }),
              HasSubstr("m.hptb: section 'program' is truncated"));
  std::string corrupt = text;
  corrupt[corrupt.size() - 10] ^= 1;
  EXPECT_THAT(errorOf([&] { parseBundle(corrupt, "m.hptb"); }),
              HasSubstr("m.hptb: section 'program' is damaged: its checksum does not match"));
  std::string future = text;
  future.replace(0, 11, "HPTBUNDLE 9");
  EXPECT_THAT(errorOf([&] { parseBundle(future, "m.hptb"); }),
              HasSubstr("bundle version 9 is not supported (this hpt reads version 3); "
                        "recompile the model"));
  EXPECT_THAT(errorOf([&] { parseBundle("HPTBUNDLE 2 10 0123456789abcdef\n{}", "m.hptb"); }),
              HasSubstr("m.hptb: bundle version 2 is not supported"));
  EXPECT_THAT(errorOf([&] { parseBundle("hello\n", "m.hptb"); }),
              HasSubstr("m.hptb: not an hpt bundle"));
}

TEST(BundleTest, RejectsStructuralDefects) {
  auto parseWith = [](std::string payload, const std::string &from, const std::string &to) {
    payload.replace(payload.find(from), from.size(), to);
    return errorOf([&] { parseBundle(withHeader(payload), "m.hptb"); });
  };
  EXPECT_THAT(parseWith(kLinearPayload, R"("operands":[0,2],"results":[3])",
                        R"("operands":[0,9],"results":[3])"),
              HasSubstr("function 'forward': ops[1] (linear) names value 9, outside [0, 5)"));
  EXPECT_THAT(parseWith(kLinearPayload, R"("operands":[3,1],"results":[4])",
                        R"("operands":[4,1],"results":[4])"),
              HasSubstr("uses value 4 before it is defined"));
  EXPECT_THAT(parseWith(kLinearPayload, R"("attrs":{"name":"w"},"loc":"m.mlir:3:5")",
                        R"("attrs":{"name":"v"},"loc":"m.mlir:3:5")"),
              HasSubstr("attribute 'name' names no parameter"));
  EXPECT_THAT(parseWith(kLinearPayload, R"("init":"uniform_fan_in")", R"("init":"normal")"),
              HasSubstr("params[0]: unknown initialiser 'normal'"));
  EXPECT_THAT(parseWith(kLinearPayload, R"("shape":[2,3])", R"("shape":[2,-3])"),
              HasSubstr("shape has a size that is not a non-negative integer"));
  // Programs name functions and parameters of the bundle.
  EXPECT_THAT(parseWith(kLinearPayload, R"("train":"train_step")", R"("train":"step")"),
              HasSubstr("m.hptb: programs[0]: 'step' is not a function of the bundle"));
  const std::string lora =
      R"({"train":"train_step","eval":"forward","lora":{"rank":2,"alpha":4,"dropout":0,)"
      R"("base":"forward","adapters":[{"target":"w","a":"w","b":"v"}]}})";
  EXPECT_THAT(parseWith(kLinearPayload, R"("programs":[)", R"("programs":[)" + lora + ","),
              HasSubstr("programs[0]: lora: adapters[0]: 'v' names no parameter"));
  std::string badRank = lora;
  badRank.replace(badRank.find(R"("rank":2)"), 8, R"("rank":0)");
  EXPECT_THAT(parseWith(kLinearPayload, R"("programs":[)", R"("programs":[)" + badRank + ","),
              HasSubstr("programs[0]: lora: needs a positive rank and alpha"));
  EXPECT_THAT(parseWith(kLinearPayload, R"("programs":)", R"("programmes":)"),
              HasSubstr("m.hptb: missing field 'programs'"));
}

TEST(BundleTest, FindsItsFullAndLoraPrograms) {
  std::string payload = kLinearPayload;
  const std::string lora =
      R"({"train":"train_step","eval":"forward","lora":{"rank":2,"alpha":4,"dropout":0,)"
      R"("base":"forward","adapters":[{"target":"w","a":"w","b":"w"}]}})";
  payload.replace(payload.find(R"("programs":[)"), 12, R"("programs":[)" + lora + ",");
  Bundle bundle = parseBundle(withHeader(payload), "m.hptb");
  EXPECT_EQ(bundle.fullProgram().train, "train_step");
  ASSERT_EQ(bundle.loraPrograms().size(), 1u);
  EXPECT_EQ(bundle.loraPrograms()[0]->lora->rank, 2);
  EXPECT_EQ(bundle.loraPrograms()[0]->lora->adapters[0].target, "w");
  Bundle none = parseBundle(withHeader(R"({"format":"hpt-bundle","version":3,"programs":[],)"
                                       R"("params":[],"functions":[]})"),
                            "none.hptb");
  EXPECT_THAT(errorOf([&] { none.fullProgram(); }),
              HasSubstr("none.hptb: has no full-parameter training step"));
}

TEST(ProgramTest, TrainStepMatchesClosedForm) {
  Bundle bundle = parseBundle(withHeader(kLinearPayload), "m.hptb");
  ParamStore params(bundle);
  std::vector<float> w0 = params.at("w").value();
  for (float v : w0)
    EXPECT_LE(std::fabs(v), 1.0f / std::sqrt(3.0f));
  Program step(bundle, "train_step", params, Mode::Train);
  float x[3] = {1, -2, 0.5f}, t[2] = {0.25f, -1};
  step.run({x, t}, TrainingState{});
  // y = W x; loss = mean((y - t)^2); dW = (2/2)(y - t) xᵀ; W -= 0.5 dW.
  double y[2], loss = 0;
  for (int i = 0; i < 2; ++i) {
    y[i] = 0;
    for (int j = 0; j < 3; ++j)
      y[i] += double(w0[i * 3 + j]) * x[j];
    loss += (y[i] - t[i]) * (y[i] - t[i]) / 2;
  }
  EXPECT_NEAR(*step.result(0), loss, 1e-6);
  EXPECT_NEAR(step.result(1)[1], y[1], 1e-6);
  for (int i = 0; i < 2; ++i)
    for (int j = 0; j < 3; ++j)
      EXPECT_NEAR(params.at("w").value()[i * 3 + j], w0[i * 3 + j] - 0.5 * (y[i] - t[i]) * x[j],
                  1e-6);
  EXPECT_EQ(params.at("w").updates, 1);
}

TEST(ProgramTest, FrozenWeightFollowsEveryWrite) {
  // In a training program that never updates w, the product reads w packed
  // (on CPUs with the panel kernel); a write to w must reach the next run.
  Bundle bundle = parseBundle(withHeader(kLinearPayload), "m.hptb");
  ParamStore params(bundle);
  Program forward(bundle, "forward", params, Mode::Train);
  float x[3] = {1, -2, 0.5f}, t[2] = {0, 0};
  auto expectOutputOfCurrentWeight = [&](const char *when) {
    forward.run({x, t}, TrainingState{});
    const std::vector<float> &w = params.at("w").value();
    for (int i = 0; i < 2; ++i)
      EXPECT_NEAR(forward.result(1)[i], w[i * 3] * x[0] + w[i * 3 + 1] * x[1] + w[i * 3 + 2] * x[2],
                  1e-6)
          << when;
  };
  expectOutputOfCurrentWeight("first run");
  params.at("w").mutableValue() = {1, 2, 3, -4, 5, -6};
  expectOutputOfCurrentWeight("after a write");
  resetParam(params.at("w"));
  expectOutputOfCurrentWeight("after a reset");
}

TEST(ProgramTest, ParameterCatchesUpFromTheDeviceBeforeAnyRead) {
  Bundle bundle = parseBundle(withHeader(kLinearPayload), "m.hptb");
  ParamStore params(bundle);
  ParamEntry &w = params.at("w");
  const std::vector<float> before = w.value();
  const uint64_t writes = w.writes();
  // A device updates its copy (Adam: two moments) and holds the newer one.
  w.updateOnDevice(2);
  EXPECT_EQ(w.writes(), writes + 1);
  int copies = 0;
  w.heldNewerBy([&](float *value, float *m1, float *m2) {
    ++copies;
    ASSERT_TRUE(value && m1 && m2);
    for (size_t i = 0; i < 6; ++i) {
      value[i] = 7.0f;
      m1[i] = 0.5f;
      m2[i] = 0.25f;
    }
  });
  // Naming the buffer copies nothing; the first read of any part does, once.
  EXPECT_EQ(std::vector<float>(w.hostBuffer(), w.hostBuffer() + 6), before);
  EXPECT_EQ(copies, 0);
  EXPECT_THAT(w.moment2(), ::testing::Each(0.25f));
  EXPECT_THAT(w.value(), ::testing::Each(7.0f));
  EXPECT_THAT(w.moment1(), ::testing::Each(0.5f));
  EXPECT_EQ(copies, 1);
  // A checkpoint reads what the device held.
  Archive archive;
  addParams(archive, params, "");
  EXPECT_THAT(archive.find("moment1:w")->data, ::testing::Each(0.5f));
}

/// A device that computes nothing but records what the executor tells it:
/// each op it runs, with the residency it was handed, and each finish().
class RecordingDevice : public Device {
public:
  hpt::hw::DeviceKind kind() const override { return hpt::hw::DeviceKind::Gpu; }
  /// Everything but the rate, as a device without code for it; it claims
  /// the parameter read too, which the executor resolves on the host anyway.
  bool computes(const FunctionSpec &fn, size_t index) const override {
    return fn.ops[index].op != "constant_lr";
  }
  void accept(const FunctionSpec &, size_t, const std::string &) const override {}
  OpCost run(const FunctionSpec &fn, size_t index, const Tensors &t) override {
    const OpSpec &op = fn.ops[index];
    events.push_back(op.op);
    if (!computes(fn, index))
      return {};
    EXPECT_NE(t.residency, nullptr) << op.op;
    for (int64_t v : op.results) {
      readElsewhere[v] = t.residency->readElsewhere[size_t(t.residency->storage[size_t(v)])];
      std::fill(t.ptr[size_t(v)], t.ptr[size_t(v)] + numElements(t.shapes[size_t(v)]), 1.0f);
    }
    if (op.op == "linear")
      readsParam = t.residency->param[size_t(t.residency->storage[size_t(op.operands[1])])];
    if (t.update)
      updated = t.update->param;
    return {};
  }
  void finish() override { events.push_back("finish"); }

  std::vector<std::string> events;
  std::map<int64_t, bool> readElsewhere;
  const ParamEntry *readsParam = nullptr, *updated = nullptr;
};

TEST(ProgramTest, TellsADeviceWhatCrossesToTheHostAndWhenToFinish) {
  // kLinearPayload's training step with everything but the loss on the GPU.
  std::string payload = kLinearPayload;
  for (const char *op : {"get_param", "linear", "mse_loss_grad", "matmul", "constant_lr",
                         "sgd_update"}) {
    const std::string train = payload.substr(payload.find("\"train_step\",\"args\""));
    const size_t at = payload.size() - train.size() + train.find("{\"op\":\"" + std::string(op));
    payload.insert(at + 1, R"("device":{"kind":"gpu"},)");
  }
  std::ifstream description(HPT_SOURCE_DIR "/configs/atleus-like.json");
  std::stringstream hardware;
  hardware << description.rdbuf();
  using hpt::hw::bundle::kHardware, hpt::hw::bundle::kProgram;
  Bundle bundle = parseBundle(
      hpt::hw::bundle::write({{kProgram, payload}, {kHardware, hardware.str()}}), "m.hptb");
  ParamStore params(bundle);
  DeviceSet devices;
  auto owned = std::make_unique<RecordingDevice>();
  RecordingDevice &device = *owned;
  devices.add(std::move(owned));
  Program step(bundle, "train_step", params, Mode::Train, {}, &devices);
  float x[3] = {1, -2, 0.5f}, t[2] = {0.25f, -1};
  step.run({x, t}, TrainingState{});
  // The device is told of every op placed on it (to charge it), computes
  // those it has code for, and the host waits for it before it computes the
  // loss and the rate (not before a parameter read: an alias reads
  // nothing), and at the end.
  EXPECT_THAT(device.events,
              ::testing::ElementsAre("get_param", "linear", "finish", "mse_loss_grad", "matmul",
                                     "finish", "constant_lr", "sgd_update", "finish"));
  // y (3) is returned and read by the host's loss; the loss gradient (5) and
  // the weight gradient (6) stay on the device.
  EXPECT_TRUE(device.readElsewhere[3]);
  EXPECT_FALSE(device.readElsewhere[5]);
  EXPECT_FALSE(device.readElsewhere[6]);
  EXPECT_EQ(device.readsParam, &params.at("w"));
  EXPECT_EQ(device.updated, &params.at("w"));
  // With a gradient hook the host reads the weight gradient too.
  int hooked = 0;
  step.onGradient = [&](const ParamEntry &, const float *) { ++hooked; };
  step.run({x, t}, TrainingState{});
  EXPECT_TRUE(device.readElsewhere[6]);
  EXPECT_EQ(hooked, 1);
}

TEST(ProgramTest, RefusesWhatItCannotRun) {
  Bundle bundle = parseBundle(withHeader(kLinearPayload), "m.hptb");
  ParamStore params(bundle);
  EXPECT_THAT(errorOf([&] { Program(bundle, "train_step", params, Mode::Eval); }),
              HasSubstr("'hpt.sgd_update': updates a parameter, which an evaluation "
                        "program must not do"));
  EXPECT_THAT(errorOf([&] { Program(bundle, "backward", params, Mode::Train); }),
              HasSubstr("m.hptb: has no function 'backward'"));
  // Returning the parameter's value read before its update would expose the
  // new value under the old name.
  std::string payload = kLinearPayload;
  std::string late = R"("returns":[4,3,2])";
  size_t at = payload.rfind(R"("returns":[4,3])");
  payload.replace(at, std::string(R"("returns":[4,3])").size(), late);
  Bundle reading = parseBundle(withHeader(payload), "m.hptb");
  ParamStore readingParams(reading);
  EXPECT_THAT(errorOf([&] { Program(reading, "train_step", readingParams, Mode::Train); }),
              HasSubstr("parameter 'w' is read after it is updated"));
}

// Every size a kernel touches is checked when the program is compiled, so a
// damaged bundle is refused with the op and its location, never executed.
TEST(ProgramTest, RefusesSizesItsKernelsCannotUse) {
  auto refusal = [](const std::string &from, const std::string &to) {
    std::string payload = kLinearPayload;
    size_t at = payload.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    payload.replace(at, from.size(), to);
    Bundle bundle = parseBundle(withHeader(payload), "m.hptb");
    ParamStore params(bundle);
    return errorOf([&] { Program(bundle, "forward", params, Mode::Eval); });
  };
  EXPECT_THAT(refusal(R"("results":[3],"shapes":[[1,2]])", R"("results":[3],"shapes":[[1,5]])"),
              HasSubstr("'hpt.linear': result 0 [1, 5] should hold 2 elements"));
  EXPECT_THAT(refusal(R"("results":[4],"shapes":[[]])", R"("results":[4],"shapes":[[0]])"),
              HasSubstr("'hpt.mse_loss': result 0 [0] should hold 1 elements"));
  EXPECT_THAT(refusal(R"({"op":"mse_loss","operands":[3,1],"results":[4],"shapes":[[]],"attrs":{})",
                      R"({"op":"softmax","operands":[3],"results":[4],"shapes":[[1,2]],"attrs":{"axis":2})"),
              HasSubstr("'hpt.softmax': axis 2 is outside rank 2"));
  EXPECT_THAT(refusal(R"({"op":"mse_loss","operands":[3,1],"results":[4],"shapes":[[]],"attrs":{})",
                      R"({"op":"transpose","operands":[3],"results":[4],"shapes":[[2,1]],"attrs":{"permutation":[1,1]})"),
              HasSubstr("'hpt.transpose': 'permutation' is not a permutation of [0, 2)"));
  EXPECT_THAT(refusal(R"({"op":"mse_loss","operands":[3,1],"results":[4],"shapes":[[]],"attrs":{})",
                      R"({"op":"slice","operands":[3],"results":[4],"shapes":[[1,2]],"attrs":{"axis":1,"offset":1,"size":2})"),
              HasSubstr("'hpt.slice': slice [1, +2) is outside the axis of 2"));
  EXPECT_THAT(refusal(R"("shapes":[[2,3]],"attrs":{"name":"w"},"loc":"m.mlir:3:5")",
                      R"("shapes":[[3,2]],"attrs":{"name":"w"},"loc":"m.mlir:3:5")"),
              HasSubstr("'hpt.get_param' at m.mlir:3:5: reads parameter 'w' of shape [2, 3] as [3, 2]"));
}

// The systolic section is checked against what it claims: a stream whose
// table entry has a plan the stream is not (a plan of the same size with
// another shape, a plan of another kind) is refused, and so is a binding of
// an optimizer state the update does not have (SGD without momentum has no
// moment1 and never a moment2). Bundles built in memory: the program above,
// its SGD update placed on the systolic array, with and without the
// hardware description; the well-formed twin of each is accepted.
TEST(BundleTest, RefusesSystolicStreamsThatAreNotTheirPlanAndStatesTheUpdateLacks) {
  using namespace hpt::systolic;
  const Machine machine{Dataflow::OutputStationary, ElementType::F32, 4, 4, {256, 256, 256}};
  auto bundleError = [](const std::string &payload, const std::string &index,
                        const std::string &streams, bool hardware) {
    std::vector<hpt::hw::bundle::Section> sections{{hpt::hw::bundle::kProgram, payload}};
    if (hardware) {
      std::ifstream in(HPT_SOURCE_DIR "/configs/atleus-like.json");
      std::stringstream text;
      text << in.rdbuf();
      sections.push_back({hpt::hw::bundle::kHardware, text.str()});
    }
    sections.push_back({hpt::hw::bundle::kSystolic, index});
    sections.push_back({hpt::hw::bundle::kSystolicStreams, streams});
    return errorOf([&] { parseBundle(hpt::hw::bundle::write(sections), "s.hptb"); });
  };
  auto table = [](const std::string &stream, const std::string &plan, const std::string &ops) {
    return R"({"streams":[{"offset":0,"bytes":)" + std::to_string(stream.size()) +
           R"(,"plan":)" + plan + R"(}],"ops":[)" + ops + "]}";
  };

  // A 2x3x4 GEMM's stream; a 3x3x4 one has as many instructions.
  const std::string gemm = toBinary(*planGemm({2, 3, 4}, machine));
  ASSERT_EQ(planGemm({3, 3, 4}, machine)->instructions.size(),
            planGemm({2, 3, 4}, machine)->instructions.size());
  auto gemmPlan = [](int m) {
    return R"({"kind":"gemm","m":)" + std::to_string(m) +
           R"(,"n":3,"k":4,"batch":1,"bias":false})";
  };
  EXPECT_EQ(bundleError(kLinearPayload, table(gemm, gemmPlan(2), ""), gemm, false), "no error");
  EXPECT_THAT(bundleError(kLinearPayload, table(gemm, gemmPlan(3), ""), gemm, false),
              HasSubstr("s.hptb: section 'systolic': streams[0]: the stream is not what its "
                        "plan gives"));
  EXPECT_THAT(bundleError(kLinearPayload,
                          table(gemm, R"({"kind":"vector","op":"softmax","rows":2,"cols":3,"scalar":0})", ""),
                          gemm, false),
              HasSubstr("streams[0]: the stream is not what its plan gives"));

  // The SGD step of w (2x3) on the vector unit, its parameter bound.
  std::string placed = kLinearPayload;
  const std::string update = R"("weight_decay":0},"loc":""})";
  placed.replace(placed.find(update), update.size(),
                 R"("weight_decay":0},"loc":"","device":{"kind":"systolic"}})");
  const std::string sgd = toBinary(*planVector({VectorOp::Sgd, 2, 3, 0}, machine));
  const std::string sgdPlan = std::string(R"({"kind":"vector","op":")") + name(VectorOp::Sgd) +
                              R"(","rows":2,"cols":3,"scalar":0})";
  auto binding = [](const std::string &tensor) {
    return R"({"function":"train_step","op":6,"stream":0,"bindings":[{"region":"ofmap",)"
           R"("offset":0,"tensor":")" + tensor + R"(","output":true,"transpose":false}]})";
  };
  // The whole update: parameter, its gradient (value 6) and the coefficients.
  const std::string whole =
      R"({"function":"train_step","op":6,"stream":0,"bindings":[)"
      R"({"region":"ofmap","offset":0,"tensor":"parameter","output":true,"transpose":false},)"
      R"({"region":"ofmap","offset":6,"tensor":"value","value":6,"output":false,"transpose":false},)"
      R"({"region":"ofmap","offset":12,"tensor":"coefficients","output":false,"transpose":false}]})";
  EXPECT_EQ(bundleError(placed, table(sgd, sgdPlan, whole), sgd, true), "no error");
  // A planned stream's places are all bound: here the gradient is missing.
  EXPECT_THAT(bundleError(placed, table(sgd, sgdPlan, binding("parameter")), sgd, true),
              HasSubstr("ops[0]: no tensor is bound to the ofmap words at 6 that the stream's "
                        "plan uses"));
  // Two tensors in one place are refused, as is a runtime tensor elsewhere
  // than the ofmap region.
  std::string twice = whole;
  twice.replace(twice.find(R"("offset":12,"tensor":"coefficients")"), 35,
                R"("offset":0,"tensor":"coefficients")");
  EXPECT_THAT(bundleError(placed, table(sgd, sgdPlan, twice), sgd, true),
              HasSubstr("bindings 0 and 2 share words"));
  std::string ifmap = whole;
  ifmap.replace(ifmap.find(R"("region":"ofmap","offset":0,"tensor":"parameter")"), 17,
                R"("region":"ifmap",)");
  EXPECT_THAT(bundleError(placed, table(sgd, sgdPlan, ifmap), sgd, true),
              HasSubstr("the parameter tensor belongs in the ofmap region"));
  EXPECT_THAT(bundleError(placed, table(sgd, sgdPlan, binding("moment2")), sgd, true),
              HasSubstr("s.hptb: section 'systolic': ops[0]: bindings[0]: a sgd_update op has "
                        "no moment2 tensor"));
  EXPECT_THAT(bundleError(placed, table(sgd, sgdPlan, binding("moment1")), sgd, true),
              HasSubstr("has no moment1 tensor"));
  // With momentum the buffer is moment1, and there is still no moment2.
  std::string momentum = placed;
  momentum.replace(momentum.find(R"("momentum":0,)"), 13, R"("momentum":0.9,)");
  EXPECT_THAT(bundleError(momentum, table(sgd, sgdPlan, binding("moment2")), sgd, true),
              HasSubstr("has no moment2 tensor"));
}

TEST(BundleTest, RefusesSizesThatDoNotFit64Bits) {
  std::string payload = kLinearPayload;
  payload.replace(payload.find(R"("shape":[2,3])"), 13, R"("shape":[4294967296,4294967296])");
  EXPECT_THAT(errorOf([&] { parseBundle(withHeader(payload), "m.hptb"); }),
              HasSubstr("m.hptb: params[0]: shape [4294967296, 4294967296] has more elements "
                        "than fit 64 bits"));
  std::string fractional = kLinearPayload;
  fractional.replace(fractional.find(R"("values":5)"), 10, R"("values":5e300)");
  EXPECT_THAT(errorOf([&] { parseBundle(withHeader(fractional), "m.hptb"); }),
              HasSubstr("function 'forward': field 'values' has the wrong type"));
}

TEST(LimitsTest, MemoryLimitRefusesBeforeAllocating) {
  Bundle bundle = parseBundle(withHeader(kLinearPayload), "m.hptb");
  ParamStore params(bundle);
  // Parameters 24 bytes; train_step's pool, its scalar lr and more exceed 64.
  MemoryLimit tight{64, "--max-memory"};
  EXPECT_THAT(errorOf([&] { Program(bundle, "train_step", params, Mode::Train, tight); }),
              HasSubstr("m.hptb: function 'train_step' would take"));
  EXPECT_NO_THROW(Program(bundle, "train_step", params, Mode::Train, MemoryLimit{1 << 20}));
  EXPECT_THAT(errorOf([] { MemoryLimit{10, "--max-memory"}.check(std::nullopt, "x"); }),
              HasSubstr("x would take more than 2^64 bytes, more than the limit of 10 bytes"));
}

TEST(LimitsTest, ByteSizesAndOverflow) {
  EXPECT_EQ(parseByteSize("4096"), 4096u);
  EXPECT_EQ(parseByteSize("512K"), 512u << 10);
  EXPECT_EQ(parseByteSize("64m"), 64u << 20);
  EXPECT_EQ(parseByteSize("16G"), 16ull << 30);
  EXPECT_EQ(parseByteSize("2T"), 2ull << 40);
  for (const char *bad : {"", "G", "12X", "1.5G", "-1", "99999999999999999999", "16777216T"})
    EXPECT_EQ(parseByteSize(bad), std::nullopt) << bad;
  EXPECT_EQ(checkedProduct({3037000499, 3037000499}), 3037000499ll * 3037000499ll);
  EXPECT_EQ(checkedProduct({3037000500, 3037000500}), std::nullopt);
  EXPECT_EQ(checkedProduct({4, -1}), std::nullopt);
  EXPECT_EQ(checkedProduct({}), 1);
  EXPECT_EQ(checkedMul(UINT64_MAX, 2), std::nullopt);
  EXPECT_EQ(checkedAdd(UINT64_MAX, 1), std::nullopt);
}

TEST(ArchiveTest, RoundTripsAndDetectsDamage) {
  Archive archive;
  archive.meta = {{"kind", "test"}};
  float a[6] = {1, 2, 3, 4, 5, 6}, b[1] = {-0.5f};
  archive.add("a", {2, 3}, a);
  archive.add("b", {}, b);
  std::string path = tempPath("archive");
  writeArchive(archive, path);
  Archive read = readArchive(path);
  EXPECT_EQ(read.meta["kind"], "test");
  ASSERT_NE(read.find("a"), nullptr);
  EXPECT_EQ(read.find("a")->data, std::vector<float>(a, a + 6));
  EXPECT_EQ(read.find("b")->shape, Shape{});
  EXPECT_EQ(read.find("b")->data, std::vector<float>{-0.5f});

  std::filesystem::resize_file(path, std::filesystem::file_size(path) - 4);
  EXPECT_THAT(errorOf([&] { readArchive(path); }), HasSubstr(": truncated:"));
  EXPECT_THAT(errorOf([&] { readArchive(path + ".missing"); }),
              HasSubstr("cannot open '" + path + ".missing'"));
  std::filesystem::remove(path);
}

TEST(CheckpointTest, RestoresStateAndRefusesOtherModels) {
  Bundle bundle = parseBundle(withHeader(kLinearPayload), "m.hptb");
  std::ostringstream log;
  Schedule schedule(bundle, ScheduleOptions{}, {}, log);
  float x[3] = {1, 2, 3}, t[2] = {0, 1};
  JobState job;
  schedule.step({x, t}, job);
  job.counters.step = 7;
  job.counters.epoch = 2;
  job.position = 3;
  job.shuffleSeed = 11;
  std::string path = tempPath("ckpt");
  saveCheckpoint(path, bundle, schedule, job);

  Schedule fresh(bundle, ScheduleOptions{}, {}, log);
  JobState restored;
  loadCheckpoint(path, bundle, fresh, restored);
  EXPECT_EQ(fresh.params().at("w").value(), schedule.params().at("w").value());
  EXPECT_NE(fresh.params().at("w").value(), ParamStore(bundle).at("w").value());
  EXPECT_EQ(fresh.params().at("w").updates, 1);
  EXPECT_EQ(restored.counters.step, 7);
  EXPECT_EQ(restored.counters.epoch, 2);
  EXPECT_EQ(restored.position, 3);
  EXPECT_EQ(restored.shuffleSeed, 11u);

  std::string other = kLinearPayload;
  other.replace(other.find("\"seed\":5"), 8, "\"seed\":6");
  Bundle otherBundle = parseBundle(withHeader(other), "other.hptb");
  Schedule otherSchedule(otherBundle, ScheduleOptions{}, {}, log);
  std::vector<float> before = otherSchedule.params().at("w").value();
  EXPECT_THAT(errorOf([&] { loadCheckpoint(path, otherBundle, otherSchedule, restored); }),
              HasSubstr("was written for another model"));
  EXPECT_EQ(otherSchedule.params().at("w").value(), before);
  std::filesystem::remove(path);
}

TEST(TrainerTest, EpochOrderIsASeededPermutation) {
  std::vector<int64_t> order = epochOrder(1000, 3, 0, true);
  std::set<int64_t> seen(order.begin(), order.end());
  EXPECT_EQ(seen.size(), 1000u);
  EXPECT_EQ(*seen.begin(), 0);
  EXPECT_EQ(*seen.rbegin(), 999);
  EXPECT_EQ(order, epochOrder(1000, 3, 0, true));
  EXPECT_NE(order, epochOrder(1000, 3, 1, true));
  EXPECT_NE(order, epochOrder(1000, 4, 0, true));
  std::vector<int64_t> identity(10);
  std::iota(identity.begin(), identity.end(), 0);
  EXPECT_EQ(epochOrder(10, 3, 0, false), identity);
}
