//===- GemmTest.cpp - the panel sgemm against a double reference ----------===//
//
// Packing is checked element by element against op(B); products against a
// naive double product; the column split across threads against the
// single-threaded result, bit for bit.
//
//===----------------------------------------------------------------------===//

#include "runtime/host/Gemm.h"
#include "runtime/host/Kernels.h"

#include <gtest/gtest.h>
#include <omp.h>

#include <cmath>
#include <initializer_list>
#include <random>
#include <vector>

using namespace hpt::rt;

namespace {

std::vector<float> randomMatrix(size_t count, uint32_t seed) {
  std::mt19937 gen(seed);
  std::uniform_real_distribution<float> dist(-1.0f, 1.0f);
  std::vector<float> v(count);
  for (float &x : v)
    x = dist(gen);
  return v;
}

#define REQUIRE_PANEL_KERNEL()                                                           \
  if (!hasPanelKernel())                                                                 \
  GTEST_SKIP() << "the panel kernel needs AVX-512F (absent on this CPU, or "             \
                  "HPT_PANEL_GEMM=0); products run on BLAS here"

/// op(B)(kk, j) of B stored [k, ld] or, transposed, [n, ld].
float opB(const std::vector<float> &b, bool transposed, int64_t ld, int64_t kk, int64_t j) {
  return transposed ? b[j * ld + kk] : b[kk * ld + j];
}

TEST(GemmTest, PacksEveryOrientationAndEdge) {
  REQUIRE_PANEL_KERNEL();
  for (bool transposed : {false, true})
    for (int64_t k : {1, 15, 16, 17, 40})
      for (int64_t n : {1, 17, 31, 32, 33, 70}) {
        const int64_t col0 = 3, ld = (transposed ? k : n + col0) + 2;
        std::vector<float> b = randomMatrix((transposed ? n + col0 : k) * ld, 7);
        PackedPanels packed;
        packed.pack(b.data(), ld, transposed, k, n, col0);
        ASSERT_EQ(packed.panels(), (n + 31) / 32);
        for (int64_t p = 0; p < packed.panels(); ++p)
          for (int64_t kk = 0; kk < k; ++kk)
            for (int64_t j = 0; j < kPanelWidth; ++j) {
              int64_t col = p * kPanelWidth + j;
              float expected = col < n ? opB(b, transposed, ld, kk, col0 + col) : 0.0f;
              ASSERT_EQ(packed.panel(p)[kk * kPanelWidth + j], expected)
                  << "transposed " << transposed << " k " << k << " n " << n << " panel "
                  << p << " k " << kk << " column " << j;
            }
      }
}

TEST(GemmTest, ProductsMatchDoubleReference) {
  REQUIRE_PANEL_KERNEL();
  struct Case {
    int64_t m, n, k;
  };
  for (Case s : {Case{1, 5, 3}, Case{7, 33, 16}, Case{8, 32, 1}, Case{9, 70, 45},
                 Case{57, 64, 129}})
    for (bool transA : {false, true})
      for (bool transB : {false, true})
        for (float beta : {0.0f, 1.0f}) {
          const int64_t ldc = s.n + 5;
          std::vector<float> a = randomMatrix(s.m * s.k, 1), b = randomMatrix(s.k * s.n, 2);
          std::vector<float> c = randomMatrix(s.m * ldc, 3), before = c;
          PackedPanels packed;
          packed.pack(b.data(), transB ? s.k : s.n, transB, s.k, s.n);
          gemmPanels(transA, s.m, a.data(), transA ? s.m : s.k, packed, 0, packed.panels(),
                     beta, c.data(), ldc);
          for (int64_t i = 0; i < s.m; ++i)
            for (int64_t j = 0; j < ldc; ++j) {
              if (j >= s.n) { // beyond the product: untouched
                ASSERT_EQ(c[i * ldc + j], before[i * ldc + j]);
                continue;
              }
              double sum = beta * static_cast<double>(before[i * ldc + j]);
              for (int64_t kk = 0; kk < s.k; ++kk)
                sum += static_cast<double>(transA ? a[kk * s.m + i] : a[i * s.k + kk]) *
                       opB(b, transB, transB ? s.k : s.n, kk, j);
              ASSERT_NEAR(c[i * ldc + j], sum, 1e-5 * (1 + std::fabs(sum)))
                  << "m " << s.m << " n " << s.n << " k " << s.k << " transA " << transA
                  << " transB " << transB << " beta " << beta << " at " << i << "," << j;
            }
        }
}

TEST(GemmTest, PackedOperandsMatchTheUnpackedKernels) {
  REQUIRE_PANEL_KERNEL();
  // The paths a frozen weight takes: y = x·wᵀ + bias, and C = op(A)·w.
  const int64_t rows = 11, in = 40, out = 35;
  std::vector<float> x = randomMatrix(rows * in, 6), w = randomMatrix(out * in, 7),
                     bias = randomMatrix(out, 8);
  PackedPanels wt;
  wt.pack(w.data(), in, /*transposed=*/true, in, out);
  for (const float *b : std::initializer_list<const float *>{bias.data(), nullptr}) {
    std::vector<float> packed(rows * out), plain(rows * out);
    linearForwardPacked(x.data(), wt, b, packed.data(), rows);
    linearForward(x.data(), w.data(), b, plain.data(), rows, in, out);
    EXPECT_EQ(packed, plain) << (b ? "with bias" : "without bias");
  }
  PackedPanels asIs;
  asIs.pack(w.data(), in, /*transposed=*/false, out, in); // w as [k = out, n = in]
  for (bool transA : {false, true}) {
    std::vector<float> a = randomMatrix(rows * out, 9), packed(rows * in), plain(rows * in);
    matmulPacked(transA, rows, a.data(), asIs, packed.data());
    batchedMatmul(1, transA, false, rows, in, out, a.data(), w.data(), plain.data());
    EXPECT_EQ(packed, plain) << "transA " << transA;
  }
}

TEST(GemmTest, ColumnSplitDoesNotChangeTheResult) {
  REQUIRE_PANEL_KERNEL();
  const int64_t m = 57, n = 512, k = 512;
  std::vector<float> a = randomMatrix(m * k, 4), w = randomMatrix(n * k, 5);
  PackedPanels packed;
  packed.pack(w.data(), k, /*transposed=*/true, k, n);
  std::vector<float> whole(m * n), split(m * n), parallel(m * n);
  gemmPanels(false, m, a.data(), k, packed, 0, packed.panels(), 0.0f, whole.data(), n);
  for (int64_t p = packed.panels(); p-- > 0;)
    gemmPanels(false, m, a.data(), k, packed, p, p + 1, 0.0f, split.data(), n);
  EXPECT_EQ(split, whole);
  gemmPanelsInParallel(false, m, a.data(), k, packed, 0.0f, parallel.data(), n);
  EXPECT_EQ(parallel, whole);

  // The packing products of linearForward, on one thread and on two.
  std::vector<float> oneThread(m * n), twoThreads(m * n);
  int saved = omp_get_max_threads();
  omp_set_num_threads(1);
  linearForward(a.data(), w.data(), nullptr, oneThread.data(), m, k, n);
  omp_set_num_threads(2);
  linearForward(a.data(), w.data(), nullptr, twoThreads.data(), m, k, n);
  omp_set_num_threads(saved);
  EXPECT_EQ(oneThread, whole);
  EXPECT_EQ(twoThreads, whole);
}

} // namespace
