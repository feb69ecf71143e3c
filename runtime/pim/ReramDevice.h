//===- ReramDevice.h - ReRAM crossbars as an hpt-run device -----*- C++ -*-===//
//
// Runs the products a bundle places on reram (its ReRAM section: which
// frozen weight each reads, forward or transposed) through the functional
// crossbar model (Crossbar.h). A weight is written into its cells when the
// schedule loads its program (HpT's switch) or else the first time an op
// reads it, and again only if its parameter's value changes (as a LoRA
// program's frozen bases do at a re-clone); every write is counted per cell
// and checked against the description's endurance. Reads are charged by the
// hardware model's read cost (hardware/pim/Tiling.h), writes by NeuroSim
// V2.1's pulse model on the cells that change.
//
//===----------------------------------------------------------------------===//

#ifndef HPT_RUNTIME_PIM_RERAMDEVICE_H
#define HPT_RUNTIME_PIM_RERAMDEVICE_H

#include "runtime/core/Device.h"
#include "runtime/core/Limits.h"
#include "runtime/pim/Crossbar.h"

#include <iosfwd>
#include <memory>

namespace hpt::rt {

/// What a write past the endurance limit does.
enum class EnduranceMode { Warn, Error };

struct ReramOptions {
  pim::Nonidealities noise;
  EnduranceMode endurance = EnduranceMode::Warn;
  /// What the programmed cells may take (every weight's, together).
  MemoryLimit memory;
  /// hpt-run --sim timing: the host computes the products; the device
  /// programs and wears its cells and charges reads and writes as usual.
  bool timingOnly = false;
};

/// Wear of one weight's cells over the run.
struct ReramWear {
  std::string weight;
  int64_t cells = 0, written = 0;   ///< cells, and cells ever programmed
  uint64_t maxEvents = 0;           ///< the most programming events of a cell
  double meanEvents = 0;            ///< over all cells
  uint64_t pulses = 0;              ///< over all cells
  uint64_t beyondEndurance = 0;     ///< cells past the limit
};

class ReramDevice : public Device {
public:
  /// Throws Error when the bundle's description has no ReRAM section.
  ReramDevice(const Bundle &bundle, const ReramOptions &options, std::ostream &log);
  ~ReramDevice() override;

  hw::DeviceKind kind() const override { return hw::DeviceKind::Reram; }
  bool computes(const FunctionSpec &, size_t) const override { return !options.timingOnly; }
  void accept(const FunctionSpec &fn, size_t index, const std::string &where) const override;
  OpCost run(const FunctionSpec &fn, size_t index, const Tensors &tensors) override;
  /// Programs every weight `fn` reads (in the order of the ReRAM section),
  /// one after another; a weight whose cells already hold it costs nothing.
  OpCost load(const FunctionSpec &fn, const ParamValues &paramValue) override;
  void saveState(Archive &archive) const override;
  void restoreState(const Archive &archive, const std::string &origin) override;

  /// Before training: a run of `steps` more steps writes a weight its
  /// reading program leaves frozen once (its program is loaded, and never
  /// again: the overlap copy does not read the crossbars) and a weight that
  /// program trains once per step. Throws Error, naming the weight, when
  /// that would take a cell past the endurance limit under --endurance
  /// error; warns under warn.
  void checkEndurance(int64_t steps) const;
  /// Each programmed weight's wear, for the end of a run.
  std::vector<ReramWear> wear() const;

  /// The first-order bound, per step, on how far the quantising crossbars
  /// move the loss: Σ over the frozen products of |∂L/∂y| times each
  /// output's worst-case error (input and weight quantisation, the ADCs'
  /// rounding and clipping), from a product's forward read and the error
  /// its transposed read receives. Steps in which some product had no
  /// transposed read are left out (nothing: no step complete).
  std::vector<double> lossErrorBounds() const;
  /// The endurance limit (programming events per cell).
  uint64_t endurance() const;

private:
  /// Writes weight `index` from the parameter's current value unless its
  /// cells already hold it; the write's cost goes into `cost`.
  void program(size_t index, const float *param, OpCost &cost);
  /// The functional read of `op` into its result (with its bias).
  void readInto(const ReramOp &read, const OpSpec &op, int64_t vectors, int64_t outLength,
                const Tensors &tensors);

  const Bundle &bundle;
  ReramOptions options;
  hw::pim::ReramModel model;
  std::ostream &log;
  std::vector<std::unique_ptr<pim::ProgrammedWeight>> weights; ///< by ReRAM-section weight
  std::vector<std::vector<float>> writtenFrom; ///< the stored matrix each holds
  std::vector<bool> warned;
  /// Per weight: its forward reads so far (the step), the output error
  /// bound of the latest one, and per step the bound's sum and the products
  /// still missing their transposed read.
  struct BoundTrack {
    int64_t reads = 0;
    std::vector<float> outputBound;
    bool consumed = true;
  };
  std::vector<BoundTrack> tracks;
  std::vector<double> stepBounds;
  std::vector<int64_t> stepMissing;
  void trackForward(size_t index, const float *x, int64_t vectors);
  void trackTransposed(size_t index, const float *delta, int64_t vectors);
};

} // namespace hpt::rt

#endif // HPT_RUNTIME_PIM_RERAMDEVICE_H
