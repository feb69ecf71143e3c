//===- CublasGemmTest.cpp - row-major products as cuBLAS calls ------------===//
//
// The sgemm arguments cublasGemmFor gives, run through a column-major
// reference sgemm written here from cuBLAS's definition, must compute what
// the host runtime's products compute on the same row-major tensors.
//
//===----------------------------------------------------------------------===//

#include "runtime/gpu/CublasGemm.h"
#include "runtime/host/Kernels.h"
#include "test/unittests/RandomFloats.h"

#include <gtest/gtest.h>

#include <cmath>

namespace hpt::rt {
namespace {

/// cuBLAS's sgemm, column-major: C = op(A)·op(B), op(A) m×k, op(B) k×n,
/// element (i, j) of a column-major X with leading dimension ld at j·ld + i.
void referenceSgemm(const CublasGemm &g, const float *a, const float *b, float *c) {
  for (int64_t batch = 0; batch < g.batch; ++batch) {
    const float *A = a + batch * g.strideA, *B = b + batch * g.strideB;
    float *C = c + batch * g.strideC;
    for (int64_t j = 0; j < g.n; ++j)
      for (int64_t i = 0; i < g.m; ++i) {
        double sum = 0;
        for (int64_t p = 0; p < g.k; ++p) {
          const float x = g.transA ? A[i * g.lda + p] : A[p * g.lda + i];
          const float y = g.transB ? B[p * g.ldb + j] : B[j * g.ldb + p];
          sum += double(x) * y;
        }
        C[j * g.ldc + i] = float(sum);
      }
  }
}

OpSpec product(const std::string &name, bool transLhs, bool transRhs, const Shape &out) {
  OpSpec op;
  op.op = name;
  op.operands = {0, 1};
  op.results = {2};
  op.shapes = {out};
  op.attrs = nlohmann::json::object();
  if (transLhs)
    op.attrs["transpose_lhs"] = true;
  if (transRhs)
    op.attrs["transpose_rhs"] = true;
  return op;
}

std::vector<float> viaCublas(const OpSpec &op, const std::vector<Shape> &shapes,
                             const std::vector<float> &lhs, const std::vector<float> &rhs) {
  const CublasGemm g = cublasGemmFor(op, shapes);
  std::vector<float> out(size_t(numElements(shapes[2])), std::nanf(""));
  const std::vector<float> *operands[] = {&lhs, &rhs};
  referenceSgemm(g, operands[g.a]->data(), operands[g.b]->data(), out.data());
  return out;
}

void expectClose(const std::vector<float> &got, const std::vector<float> &want) {
  ASSERT_EQ(got.size(), want.size());
  for (size_t i = 0; i < want.size(); ++i)
    EXPECT_NEAR(got[i], want[i], 1e-5 * (1 + std::abs(want[i]))) << "element " << i;
}

TEST(CublasGemmTest, LinearIsXTimesWTransposed) {
  const std::vector<Shape> shapes = {{2, 3, 8}, {5, 8}, {2, 3, 5}};
  const std::vector<float> x = test::randomFloats(48, 1, -1, 1), w = test::randomFloats(40, 2, -1, 1);
  std::vector<float> host(30);
  linearForward(x.data(), w.data(), nullptr, host.data(), 6, 8, 5);
  expectClose(viaCublas(product("linear", false, false, {2, 3, 5}), shapes, x, w), host);
}

TEST(CublasGemmTest, MatmulInEveryTransposition) {
  const int64_t m = 4, n = 7, k = 3;
  for (bool tl : {false, true})
    for (bool tr : {false, true}) {
      const std::vector<Shape> shapes = {tl ? Shape{k, m} : Shape{m, k}, tr ? Shape{n, k} : Shape{k, n},
                                         {m, n}};
      const std::vector<float> a = test::randomFloats(m * k, 3, -1, 1), b = test::randomFloats(k * n, 4, -1, 1);
      std::vector<float> host(m * n);
      batchedMatmul(1, tl, tr, m, n, k, a.data(), b.data(), host.data());
      SCOPED_TRACE(std::string("transpose_lhs ") + (tl ? "on" : "off") + ", transpose_rhs " + (tr ? "on" : "off"));
      expectClose(viaCublas(product("matmul", tl, tr, {m, n}), shapes, a, b), host);
    }
}

TEST(CublasGemmTest, BatchMatmulStridesOverTheLeadingAxes) {
  const int64_t m = 5, n = 6, k = 4, batch = 2 * 3;
  for (bool tl : {false, true})
    for (bool tr : {false, true}) {
      const std::vector<Shape> shapes = {tl ? Shape{2, 3, k, m} : Shape{2, 3, m, k},
                                         tr ? Shape{2, 3, n, k} : Shape{2, 3, k, n}, {2, 3, m, n}};
      const std::vector<float> a = test::randomFloats(batch * m * k, 5, -1, 1),
                               b = test::randomFloats(batch * k * n, 6, -1, 1);
      std::vector<float> host(batch * m * n);
      batchedMatmul(batch, tl, tr, m, n, k, a.data(), b.data(), host.data());
      SCOPED_TRACE(std::string("transpose_lhs ") + (tl ? "on" : "off") + ", transpose_rhs " + (tr ? "on" : "off"));
      expectClose(viaCublas(product("batch_matmul", tl, tr, {2, 3, m, n}), shapes, a, b), host);
    }
}

} // namespace
} // namespace hpt::rt
