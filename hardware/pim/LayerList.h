//===- LayerList.h - a network as a list of layers (hpt-sim-pim -t) -*- C++ -*-===//
//
// The network hpt-sim-pim simulates, one CSV row per layer:
//
//   name,type,in_h,in_w,in_ch,out_ch,kernel,stride,padding,wbits,abits,inputs
//   conv1,conv,32,32,3,6,5,1,0,9,9,
//   pool1,pooling,28,28,6,6,2,2,0,,9,
//   fc1,fc,1,1,400,120,,,,9,9,
//
// `type` is conv, fc, pooling or element_sum. An fc row has in_h = in_w = 1
// and in_ch = its input features. `inputs` lists producers as offsets
// (`-1` = the previous row, the default; `-1;-3` for two). A GEMM
// Y[M×N] = X[M×K]·W[K×N] is a conv with in_h = M, in_w = 1 (or in_h = 1,
// in_w = M), in_ch = K, out_ch = N, kernel 1, stride 1, padding 0. Blank
// lines and lines starting with `#` are skipped.
//
//===----------------------------------------------------------------------===//

#ifndef HPT_HARDWARE_PIM_LAYERLIST_H
#define HPT_HARDWARE_PIM_LAYERLIST_H

#include "hardware/Expected.h"
#include "hardware/pim/Mnsim.h"

#include <string>
#include <string_view>
#include <vector>

namespace hpt::hw::pim {

inline constexpr const char *kLayerListHeader =
    "name,type,in_h,in_w,in_ch,out_ch,kernel,stride,padding,wbits,abits,inputs";

/// The layers of a list, each checked against its producers' outputs.
/// Errors name `source`, the line and the column ("net.csv:4: in_ch: 6 does
/// not match the 16 output channels of layer 'conv2'").
Expected<std::vector<Layer>> parseLayerList(std::string_view text, const std::string &source);

} // namespace hpt::hw::pim

#endif // HPT_HARDWARE_PIM_LAYERLIST_H
