//===- Dataset.h - training data for hpt-run --------------------*- C++ -*-===//
//
// A data set is a list of (input, target) samples with fixed shapes that match
// the @forward function's arguments. Samples are produced on demand into
// caller-owned buffers. Every loader checks its input and throws
// hpt::rt::DataError with the file, line and column (or the parameter) at
// fault; nothing is silently skipped.
//
//===----------------------------------------------------------------------===//

#ifndef HPT_RUNTIME_DATA_DATASET_H
#define HPT_RUNTIME_DATA_DATASET_H

#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace hpt::rt {

/// Bad or missing data; what() names the file and line (or the setting).
class DataError : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

enum class Split { Train, Test };

class Dataset {
public:
  virtual ~Dataset() = default;

  virtual int64_t size() const = 0;
  /// Writes sample `index` (0 <= index < size()) into input (inputShape()
  /// elements) and target (targetShape() elements), row-major float32.
  virtual void sample(int64_t index, float *input, float *target) const = 0;

  virtual std::vector<int64_t> inputShape() const = 0;
  virtual std::vector<int64_t> targetShape() const = 0;

  /// A model output or target of sample `index` (targetShape() elements) in
  /// the data's own unit (undoes any normalisation); the default is the
  /// identity.
  virtual void toDataUnits(int64_t index, float *values) const;
  /// What the unit is ("m/s", or "synthetic units").
  virtual std::string unit() const = 0;
};

/// Indices of `count` samples spread evenly over `size` (the middle of
/// each of `count` equal parts).
std::vector<int64_t> evenlySpaced(int64_t size, int64_t count);

/// Root-mean-square error of a baseline on a split, in data units.
struct Baseline {
  std::string name;
  double rmse;
};

/// The Wind data (data/wind/MS_winds.dat: hourly speeds, one row per hour,
/// 57 comma-separated stations per row, no header). A sample is the 12 hours
/// before hour h (input (1, 12, 57), hours x stations) and hour h (target
/// (1, 57)), for every h >= 12. Samples whose target row h is in
/// [480, 2120) form the test split, all others the training split (the HpT
/// split). Inputs and targets are normalised per station with the mean and
/// population standard deviation over all rows outside [480, 2120) (every row
/// that is not a test target, rows 0..11 included), the same statistics for
/// both splits; toDataUnits() undoes it (x * std + mean per station).
/// With WindTarget::Change the target is the normalised change from the last
/// observed hour, (v_h - v_{h-1}) / std, and toDataUnits() gives
/// v_{h-1} + x * std: a model that outputs zeros is the persistence forecast.
enum class WindTarget { Level, Change };

class WindDataset : public Dataset {
public:
  static constexpr int64_t kStations = 57;
  static constexpr int64_t kHistory = 12;
  static constexpr int64_t kTestBegin = 480; ///< first test target row
  static constexpr int64_t kTestEnd = 2120;  ///< one past the last

  /// Reads and checks the whole file; throws DataError on a missing file, a
  /// row with another column count, a value that is not a finite number, or
  /// too few rows.
  WindDataset(const std::string &path, Split split, WindTarget target = WindTarget::Level);
  /// The same for the file's contents; `origin` names them in errors.
  static WindDataset fromText(std::string_view text, const std::string &origin, Split split,
                              WindTarget target = WindTarget::Level);

  int64_t size() const override;
  void sample(int64_t index, float *input, float *target) const override;
  std::vector<int64_t> inputShape() const override { return {1, kHistory, kStations}; }
  std::vector<int64_t> targetShape() const override { return {1, kStations}; }
  void toDataUnits(int64_t index, float *values) const override;
  std::string unit() const override { return "m/s"; }

  /// Persistence (next hour = last hour) and the per-station training mean
  /// (the normalisation mean), as RMSE over this split's targets, in m/s.
  /// On the samples given (indices into the split), or on all of them.
  std::vector<Baseline> baselines(const std::vector<int64_t> &samples = {}) const;

private:
  WindDataset(std::string_view text, const std::string &origin, Split split, WindTarget target);

  // Implementation-defined members (raw rows, per-station mean/std, the
  // target rows of this split).
  struct Impl;
  std::shared_ptr<const Impl> impl;
};

/// Deterministic synthetic data with the shapes of an HpT app whose real data
/// is not available here ("swe", "covid", "weather"; also "tiny"). Inputs are
/// drawn from the project's Philox generator; targets come from a fixed,
/// seeded generating model of the inputs (a per-token nonlinearity of the
/// token's features plus a mixing term over all tokens), so the loss of a
/// network trained on it falls. Same (app, split, seed) -> same samples on
/// every machine. Throws DataError for an unknown app or bad sizes.
class SyntheticDataset : public Dataset {
public:
  SyntheticDataset(const std::string &app, Split split, int64_t samples,
                   uint64_t seed);
  /// For explicit shapes (tests and size overrides): input (1, tokens,
  /// features) or, when featuresFirst, (1, features, tokens); target
  /// (1, tokens) or, when unitAxis, (1, tokens, 1).
  SyntheticDataset(int64_t tokens, int64_t features, bool featuresFirst,
                   bool unitAxis, Split split, int64_t samples, uint64_t seed);

  int64_t size() const override;
  void sample(int64_t index, float *input, float *target) const override;
  std::vector<int64_t> inputShape() const override;
  std::vector<int64_t> targetShape() const override;
  std::string unit() const override { return "synthetic units"; }

private:
  struct Impl;
  std::shared_ptr<const Impl> impl;
};

} // namespace hpt::rt

#endif // HPT_RUNTIME_DATA_DATASET_H
