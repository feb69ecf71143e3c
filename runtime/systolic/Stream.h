//===- Stream.h - text and binary forms of a systolic stream ----*- C++ -*-===//
//
// Text form: one instruction per line, `opcode key=value ...`; `#` starts a
// comment. Binary form (version 1), little-endian:
//   8 bytes  magic "HPTSASTR"
//   u32      version (1)
//   u32      record size in bytes (136)
//   u64      instruction count
//   u64      FNV-1a 64 checksum of the records
//   count x  136-byte records (layout in Stream.cpp, encodeRecord)
// Readers throw hpt::rt::Error naming the source and the line (text) or the
// instruction index (binary) of the first bad entry.
//
//===----------------------------------------------------------------------===//

#ifndef HPT_RUNTIME_SYSTOLIC_STREAM_H
#define HPT_RUNTIME_SYSTOLIC_STREAM_H

#include "runtime/systolic/Isa.h"

#include <cstddef>
#include <string>

namespace hpt::systolic {

inline constexpr uint32_t kStreamVersion = 1;
/// The binary form's layout, in bytes: the header (the count and the
/// checksum at these offsets), then one record per instruction.
inline constexpr size_t kStreamHeaderBytes = 8 + 4 + 4 + 8 + 8;
inline constexpr size_t kStreamCountOffset = 16, kStreamChecksumOffset = 24;
inline constexpr size_t kStreamRecordBytes = 136;

std::string toText(const Stream &stream);
/// `source` names the text in error messages (a file name).
Stream parseText(const std::string &text, const std::string &source);

std::string toBinary(const Stream &stream);
Stream parseBinary(const std::string &bytes, const std::string &source);

/// Reads a file in either form (binary when it starts with the magic).
Stream readStreamFile(const std::string &path);
/// Writes the binary form when `path` ends in ".bin", the text form otherwise.
void writeStreamFile(const Stream &stream, const std::string &path);

} // namespace hpt::systolic

#endif // HPT_RUNTIME_SYSTOLIC_STREAM_H
