//===- Quantity.h - a constant with its source ------------------*- C++ -*-===//
//
// The values of the hardware description (Description.h): each carries where
// it comes from; its unit is fixed by the schema.
//
//===----------------------------------------------------------------------===//

#ifndef HPT_HARDWARE_QUANTITY_H
#define HPT_HARDWARE_QUANTITY_H

#include <string>

namespace hpt::hw {

/// A constant and where it comes from: a citation, a dated measurement, or
/// "assumption: ..." for a value that is ours.
struct Quantity {
  double value = 0;
  std::string source;
};

/// A choice among named values (a dataflow, an element type), with its source.
template <typename E> struct Choice {
  E value{};
  std::string source;
};

} // namespace hpt::hw

#endif // HPT_HARDWARE_QUANTITY_H
