//===- DatasetTest.cpp - runtime training data ----------------------------===//
//
// The Wind tests read data/wind/MS_winds.dat a second time with a separate,
// deliberately simple parser (fgets + sscanf) and recompute everything the
// loader claims (rows, normalisation statistics, baselines) in double loops.
//
//===----------------------------------------------------------------------===//

#include "runtime/data/Dataset.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

#include <cmath>
#include <cstdio>
#include <fstream>
#include <functional>
#include <string>
#include <vector>

using namespace hpt::rt;
using ::testing::AllOf;
using ::testing::HasSubstr;

namespace {

const std::string kWindPath = HPT_SOURCE_DIR "/data/wind/MS_winds.dat";
const std::string kDataDir = HPT_SOURCE_DIR "/test/unittests/runtime/data/";
constexpr int64_t S = WindDataset::kStations;
constexpr int64_t H = WindDataset::kHistory;

/// The file's rows as floats, parsed independently of the loader.
std::vector<std::vector<float>> readRows(const std::string &path) {
  std::vector<std::vector<float>> rows;
  std::FILE *file = std::fopen(path.c_str(), "r");
  if (!file)
    return rows;
  char line[4096];
  while (std::fgets(line, sizeof line, file)) {
    std::vector<float> row;
    const char *p = line;
    float value;
    int used;
    while (std::sscanf(p, "%f%n", &value, &used) == 1) {
      row.push_back(value);
      p += used;
      if (*p == ',')
        ++p;
    }
    rows.push_back(row);
  }
  std::fclose(file);
  return rows;
}

bool isTestRow(int64_t r) { return r >= 480 && r < 2120; }

/// The DataError message of `body`, or "" (a failure) when none is thrown.
std::string dataErrorOf(const std::function<void()> &body) {
  try {
    body();
  } catch (const DataError &e) {
    return e.what();
  }
  ADD_FAILURE() << "no DataError thrown";
  return "";
}

std::string windErrorOf(const std::string &path) {
  return dataErrorOf([&] { WindDataset data(path, Split::Train); });
}

class WindDatasetTest : public ::testing::Test {
protected:
  static void SetUpTestSuite() {
    rows = new std::vector<std::vector<float>>(readRows(kWindPath));
    train = new WindDataset(kWindPath, Split::Train);
    test = new WindDataset(kWindPath, Split::Test);
  }
  static void TearDownTestSuite() {
    delete rows;
    delete train;
    delete test;
  }

  /// Target row h of sample `index`, from the split's definition.
  static int64_t targetRow(Split split, int64_t index) {
    if (split == Split::Test)
      return 480 + index;
    return index < 480 - H ? H + index : 2120 + (index - (480 - H));
  }

  /// Per-station mean and population std over the rows outside the test
  /// block, computed here from the reference parse.
  static void nonTestStatistics(std::vector<double> &mean, std::vector<double> &stdev) {
    mean.assign(S, 0.0);
    stdev.assign(S, 0.0);
    int64_t n = 0;
    for (int64_t r = 0; r < 8387; ++r) {
      if (isTestRow(r))
        continue;
      ++n;
      for (int64_t s = 0; s < S; ++s)
        mean[s] += (*rows)[r][s];
    }
    for (int64_t s = 0; s < S; ++s)
      mean[s] /= n;
    for (int64_t r = 0; r < 8387; ++r)
      if (!isTestRow(r))
        for (int64_t s = 0; s < S; ++s)
          stdev[s] += ((*rows)[r][s] - mean[s]) * ((*rows)[r][s] - mean[s]);
    for (int64_t s = 0; s < S; ++s)
      stdev[s] = std::sqrt(stdev[s] / n);
  }

  static std::vector<std::vector<float>> *rows;
  static WindDataset *train;
  static WindDataset *test;
};

std::vector<std::vector<float>> *WindDatasetTest::rows = nullptr;
WindDataset *WindDatasetTest::train = nullptr;
WindDataset *WindDatasetTest::test = nullptr;

TEST_F(WindDatasetTest, ReferenceParserReadsTheWholeFile) {
  ASSERT_EQ(rows->size(), 8387u);
  for (const auto &row : *rows)
    ASSERT_EQ(row.size(), static_cast<size_t>(S));
}

TEST_F(WindDatasetTest, SplitSizesAndShapes) {
  // h ranges over [12, 8387): 8375 samples; 2120 - 480 = 1640 are test.
  EXPECT_EQ(test->size(), 1640);
  EXPECT_EQ(train->size(), 8387 - 12 - 1640);
  EXPECT_EQ(train->size(), 6735);
  EXPECT_EQ(train->inputShape(), (std::vector<int64_t>{1, 12, 57}));
  EXPECT_EQ(train->targetShape(), (std::vector<int64_t>{1, 57}));
  EXPECT_EQ(test->inputShape(), (std::vector<int64_t>{1, 12, 57}));
  EXPECT_EQ(test->targetShape(), (std::vector<int64_t>{1, 57}));
  EXPECT_EQ(train->unit(), "m/s");
}

TEST_F(WindDatasetTest, SamplesAreTheFileRowsDenormalised) {
  struct Case {
    WindDataset *data;
    Split split;
    int64_t index;
  };
  const std::vector<Case> cases = {
      {train, Split::Train, 0},    {train, Split::Train, 467},
      {train, Split::Train, 468},  {train, Split::Train, 3000},
      {train, Split::Train, 6734}, {test, Split::Test, 0},
      {test, Split::Test, 777},    {test, Split::Test, 1639}};
  std::vector<float> input(H * S), target(S);
  for (const Case &c : cases) {
    const int64_t h = targetRow(c.split, c.index);
    SCOPED_TRACE("sample " + std::to_string(c.index) + ", target row " +
                 std::to_string(h));
    EXPECT_EQ(isTestRow(h), c.split == Split::Test);
    c.data->sample(c.index, input.data(), target.data());
    c.data->toDataUnits(c.index, target.data());
    for (int64_t s = 0; s < S; ++s)
      ASSERT_NEAR(target[s], (*rows)[h][s], 1e-4) << "station " << s;
    for (int64_t hour = 0; hour < H; ++hour) {
      float *values = input.data() + hour * S;
      c.data->toDataUnits(c.index, values);
      for (int64_t s = 0; s < S; ++s)
        ASSERT_NEAR(values[s], (*rows)[h - H + hour][s], 1e-4)
            << "hour " << hour << ", station " << s;
    }
  }
  // The first sample of each split starts at the first row of its history.
  EXPECT_EQ(targetRow(Split::Train, 0), 12);
  EXPECT_EQ(targetRow(Split::Train, 468), 2120);
  EXPECT_EQ(targetRow(Split::Test, 1639), 2119);
}

TEST_F(WindDatasetTest, SamplesAreNormalised) {
  // A sample's values are (x - mean) / std, not raw m/s.
  std::vector<double> mean, stdev;
  nonTestStatistics(mean, stdev);

  std::vector<float> input(H * S), target(S);
  test->sample(100, input.data(), target.data());
  const int64_t h = 580;
  for (int64_t s = 0; s < S; ++s)
    EXPECT_NEAR(target[s], ((*rows)[h][s] - mean[s]) / stdev[s], 1e-5);
}

TEST_F(WindDatasetTest, ChangeTargetIsTheNormalisedStepFromTheLastHour) {
  // Target (v_h - v_{h-1}) / std; in data units the row itself, and an
  // output of zeros is the last observed hour (persistence).
  std::vector<double> mean, stdev;
  nonTestStatistics(mean, stdev);
  WindDataset change(kWindPath, Split::Test, WindTarget::Change);
  std::vector<float> input(H * S), target(S), zeros(S, 0.0f);
  change.sample(100, input.data(), target.data());
  const int64_t h = 580;
  for (int64_t s = 0; s < S; ++s)
    EXPECT_NEAR(target[s], ((*rows)[h][s] - (*rows)[h - 1][s]) / stdev[s], 1e-5);
  change.toDataUnits(100, target.data());
  change.toDataUnits(100, zeros.data());
  for (int64_t s = 0; s < S; ++s) {
    EXPECT_NEAR(target[s], (*rows)[h][s], 1e-4);
    EXPECT_NEAR(zeros[s], (*rows)[h - 1][s], 1e-6);
  }
}

TEST_F(WindDatasetTest, NormalisationStatisticsExcludeTestRows) {
  // Reference: mean and population std over rows outside [480, 2120).
  std::vector<double> mean, stdev, meanAll(S, 0.0);
  nonTestStatistics(mean, stdev);
  int64_t n = 0;
  for (int64_t r = 0; r < 8387; ++r) {
    for (int64_t s = 0; s < S; ++s)
      meanAll[s] += (*rows)[r][s] / 8387.0;
    n += !isTestRow(r);
  }
  ASSERT_EQ(n, 8387 - 1640);

  // toDataUnits(0) = mean, toDataUnits(1) - toDataUnits(0) = std; the same
  // statistics for both splits.
  for (WindDataset *data : {train, test}) {
    std::vector<float> zeros(S, 0.0f), ones(S, 1.0f);
    data->toDataUnits(0, zeros.data());
    data->toDataUnits(0, ones.data());
    for (int64_t s = 0; s < S; ++s) {
      EXPECT_NEAR(zeros[s], mean[s], 1e-5) << "station " << s;
      EXPECT_NEAR(ones[s] - zeros[s], stdev[s], 1e-5) << "station " << s;
    }
  }
  // The test rows do move the mean, so the check above can tell them apart.
  double largest = 0.0;
  for (int64_t s = 0; s < S; ++s)
    largest = std::max(largest, std::abs(mean[s] - meanAll[s]));
  EXPECT_GT(largest, 1e-2);
}

TEST_F(WindDatasetTest, BaselinesMatchAnIndependentComputation) {
  std::vector<double> mean, stdev;
  nonTestStatistics(mean, stdev);

  for (Split split : {Split::Train, Split::Test}) {
    double persistence = 0.0, meanError = 0.0;
    int64_t count = 0;
    for (int64_t h = 12; h < 8387; ++h) {
      if (isTestRow(h) != (split == Split::Test))
        continue;
      for (int64_t s = 0; s < S; ++s) {
        const double p = double((*rows)[h][s]) - double((*rows)[h - 1][s]);
        const double m = double((*rows)[h][s]) - mean[s];
        persistence += p * p;
        meanError += m * m;
        ++count;
      }
    }
    persistence = std::sqrt(persistence / count);
    meanError = std::sqrt(meanError / count);

    const WindDataset &data = split == Split::Test ? *test : *train;
    const std::vector<Baseline> baselines = data.baselines();
    ASSERT_EQ(baselines.size(), 2u);
    EXPECT_EQ(baselines[0].name, "persistence");
    EXPECT_EQ(baselines[1].name, "training mean");
    EXPECT_NEAR(baselines[0].rmse, persistence, 1e-9 * persistence);
    EXPECT_NEAR(baselines[1].rmse, meanError, 1e-9 * meanError);
    // Hourly wind speeds: persistence is off by about a m/s, the climatology
    // by a few, and persistence is the better of the two.
    EXPECT_GT(baselines[0].rmse, 0.3);
    EXPECT_LT(baselines[0].rmse, 3.0);
    EXPECT_GT(baselines[1].rmse, 1.0);
    EXPECT_LT(baselines[1].rmse, 6.0);
    EXPECT_LT(baselines[0].rmse, baselines[1].rmse);
    if (split == Split::Test)
      std::printf("[ wind test split ] persistence RMSE %.6f m/s, training "
                  "mean RMSE %.6f m/s\n",
                  baselines[0].rmse, baselines[1].rmse);
  }
}

// hpt-run --eval-samples: the baselines on evenly spaced test samples are
// the baselines over exactly those samples' target hours.
TEST_F(WindDatasetTest, BaselinesOnASubsetOfSamples) {
  std::vector<double> mean, stdev;
  nonTestStatistics(mean, stdev);
  std::vector<int64_t> testRows;
  for (int64_t h = 12; h < 8387; ++h)
    if (isTestRow(h))
      testRows.push_back(h);
  ASSERT_EQ(int64_t(testRows.size()), test->size());
  const std::vector<int64_t> samples = evenlySpaced(test->size(), 7);
  ASSERT_EQ(samples.size(), 7u);
  EXPECT_EQ(samples.front(), test->size() / 14);
  for (size_t i = 1; i < samples.size(); ++i)
    EXPECT_GT(samples[i], samples[i - 1]);
  EXPECT_LT(samples.back(), test->size());
  double persistence = 0.0, meanError = 0.0;
  for (int64_t i : samples) {
    const int64_t h = testRows[size_t(i)];
    for (int64_t s = 0; s < S; ++s) {
      const double p = double((*rows)[h][s]) - double((*rows)[h - 1][s]);
      const double m = double((*rows)[h][s]) - mean[s];
      persistence += p * p;
      meanError += m * m;
    }
  }
  const double n = double(samples.size() * S);
  const std::vector<Baseline> baselines = test->baselines(samples);
  ASSERT_EQ(baselines.size(), 2u);
  EXPECT_NEAR(baselines[0].rmse, std::sqrt(persistence / n), 1e-9);
  EXPECT_NEAR(baselines[1].rmse, std::sqrt(meanError / n), 1e-9);
  EXPECT_NE(baselines[0].rmse, test->baselines()[0].rmse);
}

TEST_F(WindDatasetTest, SampleIndexOutOfRangeThrows) {
  std::vector<float> input(H * S), target(S);
  EXPECT_THROW(test->sample(1640, input.data(), target.data()),
               std::out_of_range);
  EXPECT_THROW(train->sample(-1, input.data(), target.data()),
               std::out_of_range);
}

// --- malformed files --------------------------------------------------------

TEST(WindDatasetErrorTest, WrongColumnCount) {
  EXPECT_THAT(windErrorOf(kDataDir + "wind_bad_columns.dat"),
              HasSubstr("wind_bad_columns.dat:17: expected 57 values, "
                        "found 56"));
}

TEST(WindDatasetErrorTest, NaN) {
  EXPECT_THAT(windErrorOf(kDataDir + "wind_nan.dat"),
              HasSubstr("wind_nan.dat:42: field 3 is not a finite number: "
                        "'nan'"));
}

TEST(WindDatasetErrorTest, NotANumber) {
  EXPECT_THAT(windErrorOf(kDataDir + "wind_not_a_number.dat"),
              HasSubstr("wind_not_a_number.dat:5: field 10 is not a number: "
                        "'4.6o45'"));
}

TEST(WindDatasetErrorTest, EmptyLine) {
  EXPECT_THAT(windErrorOf(kDataDir + "wind_empty_line.dat"),
              HasSubstr("wind_empty_line.dat:8: empty line"));
}

TEST(WindDatasetErrorTest, TooFewRows) {
  EXPECT_THAT(windErrorOf(kDataDir + "wind_too_few_rows.dat"),
              AllOf(HasSubstr("wind_too_few_rows.dat:21: end of file after "
                              "20 rows"),
                    HasSubstr("at least 2120")));
}

TEST(WindDatasetErrorTest, MissingFile) {
  const std::string path = kDataDir + "no_such_file.dat";
  EXPECT_THAT(windErrorOf(path),
              HasSubstr("cannot open data file '" + path +
                        "': No such file or directory"));
}

/// Writes `rows` rows of 57 varying values to a temporary file.
std::string writeTemp(const std::string &name, int64_t rows,
                      const std::string &newline, bool trailingNewline,
                      const std::string &extra = "") {
  const std::string path = ::testing::TempDir() + name;
  std::ofstream out(path, std::ios::binary);
  for (int64_t r = 0; r < rows; ++r) {
    for (int64_t s = 0; s < S; ++s)
      out << (s ? "," : "") << (r * 7 + s * 3) % 23 * 0.5;
    if (r + 1 < rows || trailingNewline)
      out << newline;
  }
  out << extra;
  return path;
}

TEST(WindDatasetErrorTest, MinimalFileWithCrlfAndNoFinalNewlineLoads) {
  const std::string path =
      writeTemp("wind_minimal.dat", 2120, "\r\n", /*trailingNewline=*/false);
  WindDataset train(path, Split::Train), test(path, Split::Test);
  EXPECT_EQ(train.size(), 480 - 12);
  EXPECT_EQ(test.size(), 1640);
  std::vector<float> input(H * S), target(S);
  test.sample(1639, input.data(), target.data());
  test.toDataUnits(1639, target.data());
  for (int64_t s = 0; s < S; ++s)
    EXPECT_NEAR(target[s], (2119 * 7 + s * 3) % 23 * 0.5, 1e-5);
}

TEST(WindDatasetErrorTest, BlankLineAtEndIsAnError) {
  // One '\n' ends the last row; a second one is an empty line 2121.
  const std::string path =
      writeTemp("wind_blank_end.dat", 2120, "\n", /*trailingNewline=*/true,
                "\n");
  EXPECT_THAT(windErrorOf(path),
              HasSubstr("wind_blank_end.dat:2121: empty line"));
}

TEST(WindDatasetErrorTest, ConstantStationIsAnError) {
  const std::string path = ::testing::TempDir() + "wind_constant.dat";
  {
    std::ofstream out(path);
    for (int64_t r = 0; r < 2120; ++r) {
      for (int64_t s = 0; s < S; ++s)
        out << (s ? "," : "") << (s == 4 ? 1.0 : (r + s) % 5 * 1.0);
      out << "\n";
    }
  }
  EXPECT_THAT(windErrorOf(path),
              AllOf(HasSubstr("wind_constant.dat"), HasSubstr("station 5")));
}

// --- synthetic data ---------------------------------------------------------

std::vector<float> inputOf(const Dataset &data, int64_t index,
                           std::vector<float> *target = nullptr) {
  int64_t inputs = 1, targets = 1;
  for (int64_t d : data.inputShape())
    inputs *= d;
  for (int64_t d : data.targetShape())
    targets *= d;
  std::vector<float> input(inputs), out(targets);
  data.sample(index, input.data(), out.data());
  if (target)
    *target = out;
  return input;
}

TEST(SyntheticDatasetTest, ShapesPerApp) {
  using V = std::vector<int64_t>;
  struct Case {
    const char *app;
    V input, target;
  };
  for (const Case &c : {Case{"swe", V{1, 323, 19}, V{1, 323, 1}},
                        Case{"covid", V{1, 50, 19}, V{1, 50}},
                        Case{"weather", V{1, 29, 13}, V{1, 29, 1}},
                        Case{"tiny", V{1, 8, 4}, V{1, 8, 1}}}) {
    SyntheticDataset data(c.app, Split::Train, 3, 7);
    EXPECT_EQ(data.inputShape(), c.input) << c.app;
    EXPECT_EQ(data.targetShape(), c.target) << c.app;
    EXPECT_EQ(data.size(), 3);
    EXPECT_EQ(data.unit(), "synthetic units");
  }
  SyntheticDataset ff(5, 3, /*featuresFirst=*/true, /*unitAxis=*/false,
                      Split::Test, 2, 1);
  EXPECT_EQ(ff.inputShape(), (V{1, 3, 5}));
  EXPECT_EQ(ff.targetShape(), (V{1, 5}));
}

TEST(SyntheticDatasetTest, UnknownAppAndBadSizesThrow) {
  EXPECT_THAT(dataErrorOf([] { SyntheticDataset("wind2", Split::Train, 4, 1); }),
              HasSubstr("unknown app 'wind2'"));
  EXPECT_THAT(dataErrorOf([] { SyntheticDataset("tiny", Split::Train, 0, 1); }),
              HasSubstr("samples must be > 0, got 0"));
  EXPECT_THAT(
      dataErrorOf([] { SyntheticDataset(0, 4, false, true, Split::Train, 4, 1); }),
      HasSubstr("tokens must be > 0"));
  EXPECT_THAT(
      dataErrorOf([] { SyntheticDataset(4, -2, false, true, Split::Test, 4, 1); }),
      HasSubstr("features must be > 0, got -2"));
  EXPECT_THAT(
      dataErrorOf([] { SyntheticDataset(4, 4, false, true, Split::Test, -5, 1); }),
      HasSubstr("samples must be > 0, got -5"));
}

TEST(SyntheticDatasetTest, DeterministicAndSeeded) {
  SyntheticDataset a("weather", Split::Train, 10, 42);
  SyntheticDataset b("weather", Split::Train, 10, 42);
  SyntheticDataset other("weather", Split::Train, 10, 43);
  for (int64_t i : {0, 5, 9}) {
    std::vector<float> ta, tb, to;
    const std::vector<float> xa = inputOf(a, i, &ta);
    EXPECT_EQ(xa, inputOf(b, i, &tb));
    EXPECT_EQ(ta, tb);
    // Repeated requests give the same sample.
    EXPECT_EQ(xa, inputOf(a, i));
    EXPECT_NE(xa, inputOf(other, i, &to));
    EXPECT_NE(ta, to);
  }
  EXPECT_NE(inputOf(a, 0), inputOf(a, 1));
}

TEST(SyntheticDatasetTest, TrainAndTestInputsDiffer) {
  SyntheticDataset train("covid", Split::Train, 20, 3);
  SyntheticDataset test("covid", Split::Test, 20, 3);
  for (int64_t i = 0; i < 20; ++i) {
    const std::vector<float> x = inputOf(train, i);
    for (int64_t j = 0; j < 20; ++j)
      ASSERT_NE(x, inputOf(test, j)) << i << " " << j;
  }
}

TEST(SyntheticDatasetTest, InputsAreUniformOnMinusOneToOne) {
  SyntheticDataset data("swe", Split::Test, 4, 11);
  double sum = 0.0, sumSq = 0.0;
  int64_t n = 0;
  for (int64_t i = 0; i < 4; ++i)
    for (float x : inputOf(data, i)) {
      ASSERT_GE(x, -1.0f);
      ASSERT_LT(x, 1.0f);
      sum += x;
      sumSq += double(x) * x;
      ++n;
    }
  EXPECT_NEAR(sum / n, 0.0, 0.02);
  EXPECT_NEAR(sumSq / n, 1.0 / 3.0, 0.02);
}

TEST(SyntheticDatasetTest, FeaturesFirstIsATransposeWithTheSameTargets) {
  const int64_t T = 6, F = 5;
  SyntheticDataset tokensFirst(T, F, false, true, Split::Train, 3, 9);
  SyntheticDataset featuresFirst(T, F, true, false, Split::Train, 3, 9);
  std::vector<float> t1, t2;
  const std::vector<float> x1 = inputOf(tokensFirst, 2, &t1);
  const std::vector<float> x2 = inputOf(featuresFirst, 2, &t2);
  for (int64_t t = 0; t < T; ++t)
    for (int64_t f = 0; f < F; ++f)
      EXPECT_EQ(x1[t * F + f], x2[f * T + t]);
  EXPECT_EQ(t1, t2);
}

TEST(SyntheticDatasetTest, TargetsAreOfOrderOne) {
  SyntheticDataset data("swe", Split::Train, 5, 1);
  double sum = 0.0, sumSq = 0.0;
  int64_t n = 0;
  for (int64_t i = 0; i < 5; ++i) {
    std::vector<float> target;
    inputOf(data, i, &target);
    for (float y : target) {
      ASSERT_TRUE(std::isfinite(y));
      ASSERT_LT(std::abs(y), 4.0f);
      sum += y;
      sumSq += double(y) * y;
      ++n;
    }
  }
  const double mean = sum / n, var = sumSq / n - mean * mean;
  EXPECT_GT(std::sqrt(var), 0.2);
  EXPECT_LT(std::sqrt(var), 2.0);
}

/// Solves the (n x n) system A w = b by Gaussian elimination with pivoting.
std::vector<double> solve(std::vector<std::vector<double>> A,
                          std::vector<double> b) {
  const size_t n = b.size();
  for (size_t k = 0; k < n; ++k) {
    size_t pivot = k;
    for (size_t i = k + 1; i < n; ++i)
      if (std::abs(A[i][k]) > std::abs(A[pivot][k]))
        pivot = i;
    std::swap(A[k], A[pivot]);
    std::swap(b[k], b[pivot]);
    for (size_t i = k + 1; i < n; ++i) {
      const double factor = A[i][k] / A[k][k];
      for (size_t j = k; j < n; ++j)
        A[i][j] -= factor * A[k][j];
      b[i] -= factor * b[k];
    }
  }
  std::vector<double> w(n);
  for (size_t k = n; k-- > 0;) {
    double v = b[k];
    for (size_t j = k + 1; j < n; ++j)
      v -= A[k][j] * w[j];
    w[k] = v / A[k][k];
  }
  return w;
}

TEST(SyntheticDatasetTest, TargetsAreLearnableFromTheTokensFeatures) {
  // Least squares of token 3's target on its own 4 features (+ intercept)
  // over 2000 training samples; the fit explains most of the variance on the
  // test split too (same generating model, different inputs).
  const int64_t T = 8, F = 4, token = 3;
  SyntheticDataset train("tiny", Split::Train, 2000, 5);
  SyntheticDataset test("tiny", Split::Test, 1000, 5);
  auto features = [&](const std::vector<float> &x) {
    std::vector<double> v{1.0};
    for (int64_t f = 0; f < F; ++f)
      v.push_back(x[token * F + f]);
    return v;
  };
  std::vector<std::vector<double>> A(F + 1, std::vector<double>(F + 1, 0.0));
  std::vector<double> b(F + 1, 0.0);
  for (int64_t i = 0; i < train.size(); ++i) {
    std::vector<float> target;
    const std::vector<double> v = features(inputOf(train, i, &target));
    ASSERT_EQ(target.size(), static_cast<size_t>(T));
    for (int64_t j = 0; j <= F; ++j) {
      b[j] += v[j] * target[token];
      for (int64_t k = 0; k <= F; ++k)
        A[j][k] += v[j] * v[k];
    }
  }
  const std::vector<double> w = solve(A, b);

  for (const SyntheticDataset *data : {&train, &test}) {
    double sse = 0.0, sum = 0.0, sumSq = 0.0;
    for (int64_t i = 0; i < data->size(); ++i) {
      std::vector<float> target;
      const std::vector<double> v = features(inputOf(*data, i, &target));
      double prediction = 0.0;
      for (int64_t j = 0; j <= F; ++j)
        prediction += w[j] * v[j];
      const double y = target[token];
      sse += (y - prediction) * (y - prediction);
      sum += y;
      sumSq += y * y;
    }
    const double n = static_cast<double>(data->size());
    const double sst = sumSq - sum * sum / n;
    const double r2 = 1.0 - sse / sst;
    EXPECT_GT(r2, 0.5) << (data == &train ? "train" : "test");
  }
}

} // namespace
