//===- Description.h - the hardware description -----------------*- C++ -*-===//
//
// The one description of the machine hpt compiles for and simulates: the
// compiler's passes (tiling, placement, later the partitioner's cost model)
// and the runtime's devices read the same file through this header. Every
// constant carries its source, and its unit is fixed by the schema, so a
// file that means nanojoules where hpt reads picojoules is refused rather
// than misread. docs/hardware.md describes the format; configs/ holds the
// descriptions hpt ships.
//
// File format (JSON):
//   { "format": "hpt-hardware-description", "version": 1,
//     "name": "...", "summary": "...",
//     "host":     { <constant>: {"value": <number>, "unit": "...", "source": "..."}, ... },
//     "systolic": { ..., "dataflow": {"value": "ws", "source": "..."}, ... },
//     "reram":    { ..., "cell_type": {"value": "1t1r", "source": "..."}, ... },
//     "gpu":      { ..., "precision": {"value": "fp32", "source": "..."}, ... },
//     "links":    [ {"between": ["host", "systolic"], <constant>: {...}, ...} ] }
//
//===----------------------------------------------------------------------===//

#ifndef HPT_HARDWARE_DESCRIPTION_H
#define HPT_HARDWARE_DESCRIPTION_H

#include "hardware/Expected.h"
#include "hardware/Quantity.h"
#include "hardware/gpu/Gpu.h"
#include "hardware/pim/Reram.h"
#include "hardware/systolic/Planner.h"
#include "hardware/systolic/Timing.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hpt::hw {

inline constexpr const char *kDescriptionFormat = "hpt-hardware-description";
inline constexpr int64_t kDescriptionVersion = 1;

/// The devices an op can be placed on (#hpt.device's kinds, in its order).
enum class DeviceKind : uint8_t { Host, Systolic, Reram, Gpu };
const char *name(DeviceKind kind);
bool fromName(std::string_view text, DeviceKind &out);

/// The host CPU, charged by measured throughput (a dated bench's table).
struct HostModel {
  Quantity gemmRate;    ///< GFLOP/s
  Quantity vectorRate;  ///< G elements/s
  Quantity activePower; ///< W while an op runs
  Quantity staticPower; ///< W
};

/// One kind of systolic core, and how many of them there are.
struct SystolicModel {
  Quantity instances;                   ///< cores
  Quantity rows, cols;                  ///< PEs
  Choice<systolic::Dataflow> dataflow;
  Choice<systolic::ElementType> element;
  Quantity ifmapSram, filterSram, ofmapSram; ///< KiB, one element per byte as SCALE-Sim counts
  Quantity clock;                       ///< GHz
  Quantity macEnergy;                   ///< pJ per MAC
  Quantity sramAccessEnergy;            ///< pJ per SRAM element access
  Quantity dramEnergy;                  ///< pJ per DRAM byte
  Quantity vectorOpEnergy;              ///< pJ per element visit of the vector unit
  Quantity staticPower;                 ///< W per core

  systolic::Machine machine() const;
  systolic::EnergyCosts energyCosts() const;
};

/// The connection between two kinds of device (both directions, one
/// transfer at a time).
struct Link {
  DeviceKind a = DeviceKind::Host, b = DeviceKind::Host;
  Quantity bandwidth; ///< GB/s (10^9 bytes per second)
  Quantity latency;   ///< ns per transfer
  Quantity energy;    ///< pJ per byte
};

struct Description {
  std::string name, summary;
  HostModel host;
  std::optional<SystolicModel> systolic;
  std::optional<pim::ReramModel> reram;
  std::optional<gpu::GpuModel> gpu;
  std::vector<Link> links;

  /// Instances of a device kind: 1 host, a section's count, 0 for a kind the
  /// description lacks.
  uint32_t instances(DeviceKind kind) const;
  /// The link between two kinds (either order), or nullptr.
  const Link *linkBetween(DeviceKind a, DeviceKind b) const;
};

/// Reads and validates a description; an error names `source` and the key
/// (e.g. "hw.json: systolic.rows.value: must be a positive integer, got 0").
Expected<Description> parseDescription(std::string_view text, const std::string &source);
Expected<Description> readDescription(const std::string &path);

/// One constant or choice of a description, as a report lists it.
struct Entry {
  std::string key;   ///< e.g. "systolic.rows", "links[0].bandwidth"
  std::string value; ///< the number, or the chosen name ("ws")
  std::string unit;  ///< empty for a choice
  std::string source;
};

/// Every entry, in the schema's order (the tables the reader and the writer
/// walk).
std::vector<Entry> entries(const Description &description);

/// The JSON text of a description; parseDescription reads it back to an
/// equal description, and writing that again gives the same bytes.
std::string toJson(const Description &description);

} // namespace hpt::hw

#endif // HPT_HARDWARE_DESCRIPTION_H
