//===- Stream.h - text and binary forms of a systolic stream ----*- C++ -*-===//
//
// The one definition of the stream formats: the compiler writes them
// (hpt-translate, bundles), the simulator reads them.
//
// Text form: one instruction per line, `opcode key=value ...`; `#` starts a
// comment. Binary form (version 1), little-endian:
//   8 bytes  magic "HPTSASTR"
//   u32      version (1)
//   u32      record size in bytes (136)
//   u64      instruction count
//   u64      FNV-1a 64 checksum of the records
//   count x  136-byte records (layout in Stream.cpp, encodeRecord)
// Readers name the source and the line (text) or the instruction index
// (binary) of the first bad entry.
//
//===----------------------------------------------------------------------===//

#ifndef HPT_HARDWARE_SYSTOLIC_STREAM_H
#define HPT_HARDWARE_SYSTOLIC_STREAM_H

#include "hardware/Expected.h"
#include "hardware/systolic/Isa.h"

#include <cstddef>
#include <string>
#include <string_view>

namespace hpt::systolic {

inline constexpr uint32_t kStreamVersion = 1;
/// The binary form's layout, in bytes: the header (the count and the
/// checksum at these offsets), then one record per instruction.
inline constexpr size_t kStreamHeaderBytes = 8 + 4 + 4 + 8 + 8;
inline constexpr size_t kStreamCountOffset = 16, kStreamChecksumOffset = 24;
inline constexpr size_t kStreamRecordBytes = 136;

std::string toText(const Stream &stream);
/// `source` names the text in error messages (a file name).
hw::Expected<Stream> parseText(std::string_view text, const std::string &source);

std::string toBinary(const Stream &stream);
hw::Expected<Stream> parseBinary(std::string_view bytes, const std::string &source);

/// True when `bytes` start with the binary form's magic.
bool isBinaryStream(std::string_view bytes);
/// Either form, told apart by the magic.
hw::Expected<Stream> parseStream(std::string_view bytes, const std::string &source);

} // namespace hpt::systolic

#endif // HPT_HARDWARE_SYSTOLIC_STREAM_H
