//===- Planned.cpp - a planned stream's results without walking it ---------===//
//
// A stream the planner made (and the bundle reader checked against its plan)
// computes a GEMM or a vector pass in a known order: per K block of the
// array's rows (weight and input stationary; output stationary keeps one
// chain over all of K) each output is a chain of multiply-adds from zero,
// and later blocks are added to it as MOVEOUT accumulates them in DRAM; a
// vector pass works row by row. This file computes exactly that on the
// mapped tensors, whole, instead of tile by tile through the SRAMs. The
// SystolicTest suite checks it against run() bit for bit.
//
//===----------------------------------------------------------------------===//

#include "hardware/systolic/Check.h"
#include "runtime/host/Gemm.h"
#include "runtime/systolic/FoldKernel.h"
#include "runtime/systolic/Simulator.h"

#include <algorithm>
#include <limits>

namespace hpt::systolic {

const DramMapping *Simulator::mappingAt(int b, uint64_t offset, uint64_t words) const {
  for (const DramMapping &m : mappings[b])
    if (offset >= m.offset && offset - m.offset <= m.words && words <= m.words - (offset - m.offset))
      return &m;
  return nullptr;
}

float *Simulator::mappedAt(int b, uint64_t offset, uint64_t words, bool write) const {
  const DramMapping *m = mappingAt(b, offset, words);
  if (!m || m->transposed || (write && !m->writable))
    return nullptr;
  return m->data + (offset - m->offset);
}

Report Simulator::runPlanned(const Stream &stream, const PlanSpec &plan, const Report &counted,
                             const std::string &source) {
  const Instruction &first = stream.instructions.front();
  if (!functional || first.opcode != Opcode::Config || first.element != ElementType::F32)
    return run(stream, source);
  Unmap unmap{mappings};
  running = {&source, 0, Opcode::Config};
  config = first;
  checkMappings(first);
  const bool done = std::holds_alternative<GemmShape>(plan)
                        ? gemmPlanned(std::get<GemmShape>(plan))
                        : vectorPlanned(std::get<VectorShape>(plan));
  if (done)
    return counted;
  unmap.keep = true; // run() takes them over
  return run(stream, source);
}

bool Simulator::gemmPlanned(const GemmShape &g) {
  const uint64_t M = g.M, N = g.N, K = g.K, batch = std::max<uint64_t>(g.batch, 1);
  const DramMapping *A = mappingAt(0, 0, batch * M * K), *B = mappingAt(1, 0, batch * K * N);
  float *C = mappedAt(2, 0, batch * M * N, true);
  const float *bias = g.bias ? mappedAt(2, M * N, N, false) : nullptr;
  auto wholeAt0 = [](const DramMapping *m, uint64_t rows, uint64_t cols) {
    return m && m->offset == 0 && (!m->transposed || (m->rows == rows && m->cols == cols));
  };
  if (!wholeAt0(A, M, K) || !wholeAt0(B, K, N) || !C || (g.bias && !bias))
    return false;
  // Output stationary keeps one chain over K; the others sum K blocks of
  // the array's rows in DRAM.
  const uint64_t block = config.dataflow == Dataflow::OutputStationary ? K : config.arrayRows;
  for (uint64_t e = 0; e < batch; ++e) {
    // a(m, k): the view M x K, or its storage K x M when transposed.
    const float *a = A->data + e * M * K;
    const uint64_t aRow = A->transposed ? 1 : K, aCol = A->transposed ? M : 1;
    const float *b = B->data + e * K * N; // K x N, or its storage N x K
    float *c = C + e * M * N;
    for (uint64_t k0 = 0; k0 < K; k0 += block) {
      const uint64_t depth = std::min(block, K - k0);
      if (rt::hasPanelKernel()) {
        // The host's panel kernel runs the same fused chains from zero and
        // adds a later block as 1·C + chain, one rounding: the same bits.
        panels.pack(B->transposed ? b + k0 : b + k0 * N, B->transposed ? K : N, B->transposed,
                    depth, N);
        rt::gemmPanelsInParallel(A->transposed, M, a + k0 * aCol, A->transposed ? M : K, panels,
                                 k0 > 0 ? 1.0f : 0.0f, c, N);
        continue;
      }
      if (B->transposed) { // the fold kernel reads b row-major
        std::vector<float> &rows = filterRows;
        rows.resize(depth * N);
        for (uint64_t n = 0; n < N; ++n)
          for (uint64_t k = 0; k < depth; ++k)
            rows[k * N + n] = b[n * K + k0 + k];
      }
      FloatFold f{M, depth, N, a + k0 * aCol, aRow, aCol,
                  B->transposed ? filterRows.data() : b + k0 * N, N, c, N};
      f.addToOut = k0 > 0;
      runFoldStep(f);
    }
  }
  if (bias) // the vector unit's add_row: an fp32 add per element
    for (uint64_t m = 0; m < M; ++m)
      for (uint64_t n = 0; n < N; ++n)
        C[m * N + n] += bias[n];
  return true;
}

bool Simulator::vectorPlanned(const VectorShape &v) {
  if (v.rows > std::numeric_limits<uint32_t>::max() ||
      v.cols > std::numeric_limits<uint32_t>::max())
    return false;
  const uint64_t elements = v.rows * v.cols, tiles = operandTiles(v.op);
  const uint64_t blockAt = (1 + tiles) * elements, block = blockWords(v.op, v.cols);
  const int of = static_cast<int>(Buffer::Ofmap);
  VectorData d{mappedAt(of, 0, elements, true), {}, {}};
  bool mapped = d.tile;
  for (uint64_t k = 0; k < tiles; ++k) {
    const bool state = k + stateTiles(v.op) >= tiles;
    d.operand[k] = mappedAt(of, (1 + k) * elements, elements, state);
    mapped &= d.operand[k] != nullptr;
  }
  // Layer norm's block rows are tensors of their own (its gradient's
  // dgamma and dbeta written); an optimizer's coefficients are one.
  const uint64_t pieces = blockPieces(v.op);
  for (uint64_t k = 0; k < pieces; ++k) {
    const uint64_t words = block / pieces;
    d.block[k] = mappedAt(of, blockAt + k * words, words, writesBlock(v.op) && k > 0);
    mapped &= d.block[k] != nullptr;
  }
  if (!mapped)
    return false;
  Instruction pass;
  pass.opcode = Opcode::Vector;
  pass.vectorOp = v.op;
  pass.rows = static_cast<uint32_t>(v.rows);
  pass.cols = static_cast<uint32_t>(v.cols);
  pass.scalar = v.scalar;
  pass.first = writesBlock(v.op);
  runVector(pass, d);
  return true;
}

} // namespace hpt::systolic
