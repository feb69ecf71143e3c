//===- StreamChecks.h - what the stream targets check -----------*- C++ -*-===//

#ifndef HPT_FUZZ_RUNTIME_STREAMCHECKS_H
#define HPT_FUZZ_RUNTIME_STREAMCHECKS_H

#include "FuzzInput.h"

#include "hardware/systolic/Stream.h"
#include "runtime/systolic/Simulator.h"

#include <cstdlib>

namespace hpt::fuzz {

[[noreturn]] inline void finding(const char *what) {
  std::fprintf(stderr, "finding: %s\n", what);
  std::abort();
}

/// A stream that read must print and read back to itself in both forms, and
/// simulate: for timing, then (when its work is small) functionally, with
/// the same cycle count, as Simulator.h promises.
inline void checkStream(const systolic::Stream &stream) {
  std::string text = systolic::toText(stream);
  hw::Expected<systolic::Stream> fromText = systolic::parseText(text, "text round trip");
  hw::Expected<systolic::Stream> fromBinary =
      systolic::parseBinary(systolic::toBinary(stream), "binary");
  if (!fromText || !fromBinary)
    finding("hpt's own output of a stream is refused when read back");
  if (systolic::toText(*fromText) != text)
    finding("the text form does not read back to the same stream");
  if (systolic::toText(*fromBinary) != text)
    finding("the binary form does not read back to the same stream");
  systolic::Report timing = systolic::Simulator(false, fuzzLimit()).run(stream, "fuzz");
  if (timing.macs > (1u << 22) || timing.vectorElementOps > (1u << 22))
    return;
  systolic::Report functional = systolic::Simulator(true, fuzzLimit()).run(stream, "fuzz");
  if (functional.totalCycles != timing.totalCycles || functional.macs != timing.macs)
    finding("functional and timing-only runs count different cycles");
}

} // namespace hpt::fuzz

#endif // HPT_FUZZ_RUNTIME_STREAMCHECKS_H
