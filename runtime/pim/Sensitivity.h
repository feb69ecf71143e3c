//===- Sensitivity.h - how much each ReRAM weight's noise costs --*- C++ -*-===//
//
// hpt-run --sensitivity: the noise-aware partitioning's measurement. A
// bundle compiled with every ReRAM candidate on ReRAM (hpt-place
// gemm=reram, hpt-crossbar-tile) is evaluated on held-out samples with its
// evaluation function (a) all on the host, (b) with one weight's products
// alone on the ReRAM device, for each weight, and (c) with all of them
// there; every other op runs on the host, so only the crossbars differ. A
// weight's sensitivity is how far it alone moves the mean held-out loss
// from (a), |ΔL|, averaged over noise seeds: a noise draw can lower the
// loss as well as raise it, and to first order the changes of several
// weights add, so the sum of their sensitivities bounds the change of all
// of them together (the triangle inequality). Each weight draws its own
// noise stream (ReramDevice), so a weight read alone and read among others
// sees the same cells.
//
//===----------------------------------------------------------------------===//

#ifndef HPT_RUNTIME_PIM_SENSITIVITY_H
#define HPT_RUNTIME_PIM_SENSITIVITY_H

#include "runtime/core/Program.h"
#include "runtime/data/Dataset.h"
#include "runtime/pim/ReramDevice.h"

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

namespace hpt::rt {

struct SensitivityOptions {
  int64_t samples = 64; ///< held-out samples, evenly spaced over the data
  int64_t seeds = 1;    ///< noise seeds: reram.noise.seed and the ones after it
  ReramOptions reram;
};

struct WeightSensitivity {
  std::string param; ///< the frozen parameter
  Shape shape;       ///< its shape, as the model declares it
  double loss = 0;   ///< mean held-out loss with it alone on ReRAM (over seeds)
  double increase = 0; ///< loss − the all-host loss
  double sensitivity = 0; ///< |its loss − the all-host loss|, over seeds
};

struct Sensitivity {
  std::string function; ///< the evaluation function measured
  std::vector<int64_t> samples; ///< the held-out samples' indices
  std::vector<uint64_t> seeds;
  double baselineLoss = 0; ///< every op on the host
  std::vector<WeightSensitivity> weights; ///< in the bundle's ReRAM order
  WeightSensitivity all; ///< every weight on ReRAM together (param empty)
};

/// Measures `function` of `bundle` (the LoRA program's evaluation) on
/// `heldOut` with `params`; throws Error when the function places no
/// product on ReRAM or the options do not fit the data.
Sensitivity measureSensitivity(const Bundle &bundle, const std::string &function,
                               ParamStore &params, const Dataset &heldOut,
                               const SensitivityOptions &options, std::ostream &log);

/// Writes the measurement as JSON (docs/partition.md, "Noise-aware"), with
/// `noise` naming the non-idealities; throws Error when it cannot.
void writeSensitivity(const Sensitivity &result, const Bundle &bundle, const std::string &noise,
                      const std::string &path);

} // namespace hpt::rt

#endif // HPT_RUNTIME_PIM_SENSITIVITY_H
