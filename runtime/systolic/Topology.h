//===- Topology.h - SCALE-Sim topologies and the simulator's files -*- C++ -*-===//
//
// Readers for SCALE-Sim v2's topology CSVs (GEMM or conv layers), and the
// file-level wrappers of the hardware library's readers (streams, `.cfg`
// files, hardware descriptions) for the runtime: every reader throws
// hpt::rt::Error naming the file and line (or key).
//
//===----------------------------------------------------------------------===//

#ifndef HPT_RUNTIME_SYSTOLIC_TOPOLOGY_H
#define HPT_RUNTIME_SYSTOLIC_TOPOLOGY_H

#include "hardware/Description.h"
#include "hardware/ScaleSim.h"
#include "hardware/systolic/Planner.h"
#include "hardware/systolic/Stream.h"

#include <string>
#include <vector>

namespace hpt::systolic {

/// One topology row as a GEMM: ifmap M x K, filter K x N, ofmap M x N.
struct Layer {
  std::string name;
  uint64_t M = 0, N = 0, K = 0;
};

/// `conv`: SCALE-Sim's conv columns, lowered by im2col (output size
/// ceil((H - F + S) / S) per axis, as SCALE-Sim computes it).
enum class TopologyKind { Gemm, Conv };
std::vector<Layer> parseTopology(const std::string &text, TopologyKind kind,
                                 const std::string &source);
std::vector<Layer> readTopology(const std::string &path, TopologyKind kind);

/// planGemm for a topology layer; throws rt::Error naming the layer.
Stream planLayer(const Layer &layer, const Machine &machine,
                 uint64_t maxStreamBytes = hw::physicalMemoryBytes());

/// A stream file in either form (binary when it starts with the magic).
Stream readStreamFile(const std::string &path);
/// Writes the binary form when `path` ends in ".bin", the text form otherwise.
void writeStreamFile(const Stream &stream, const std::string &path);

hw::ArchConfig readArchConfig(const std::string &path);
hw::Description readDescriptionFile(const std::string &path);

} // namespace hpt::systolic

#endif // HPT_RUNTIME_SYSTOLIC_TOPOLOGY_H
