//===- Reram.h - the ReRAM section of the hardware description --*- C++ -*-===//
//
// One ReRAM processing-in-memory chip as hpt describes it: its cells and
// crossbars, the converters and digital parts around them (the parameters
// of MNSIM 2.0's model, which the `mnsim` preset runs), how cells are written
// and how they wear, and their analog non-idealities. The description's
// `reram` section (docs/hardware.md) holds these values with their sources;
// MNSIM's SimConfig.ini imports into it (hpt-hw import-mnsim). Field
// comments give the unit; a digital part's area or power of 0 means "MNSIM's
// table for its technology".
//
//===----------------------------------------------------------------------===//

#ifndef HPT_HARDWARE_PIM_RERAM_H
#define HPT_HARDWARE_PIM_RERAM_H

#include "hardware/Quantity.h"

#include <cstdint>
#include <string_view>

namespace hpt::hw::pim {

/// A crossbar cell with its access transistor (1T1R) or without (0T1R,
/// whose unselected cells leak).
enum class CellType : uint8_t { OneT1R, ZeroT1R };
/// Analog PIM converts columns with ADCs; digital PIM senses them with
/// 1-bit sense amplifiers (MNSIM's PIM_Type).
enum class PimType : uint8_t { Analog, Digital };
/// How long one conversion takes: (bits + 2) cycles of a SAR ADC, or 2^bits
/// of a ramp ADC (MNSIM's ADC choice 9). A 1-bit converter takes one cycle.
enum class AdcTiming : uint8_t { Sar, Ramp };
/// Crossbar area: MNSIM's cell area plus 1150 um^2 of periphery per row, or
/// the cell's feature size alone (MNSIM's Area_Calculation = 1).
enum class AreaModel : uint8_t { CellAndPeriphery, FeatureSize };
/// The order tiles are filled (MNSIM's Tile_Connection).
enum class TileOrder : uint8_t { RowMajor, Snake, Spiral, Zigzag };

const char *name(CellType v);
const char *name(PimType v);
const char *name(AdcTiming v);
const char *name(AreaModel v);
const char *name(TileOrder v);
bool fromName(std::string_view text, CellType &out);
bool fromName(std::string_view text, PimType &out);
bool fromName(std::string_view text, AdcTiming &out);
bool fromName(std::string_view text, AreaModel &out);
bool fromName(std::string_view text, TileOrder &out);

struct ReramModel {
  Quantity instances; ///< chips

  // Cells.
  Quantity deviceTech;                      ///< nm
  Quantity cellArea;                        ///< um^2
  Quantity cellBits;                        ///< bits per cell (hpt's tiling; MNSIM's counts ignore it)
  Quantity readVoltageLow, readVoltageHigh; ///< V (MNSIM's first and last Read_Voltage)
  Quantity readLatency;                     ///< ns
  Quantity resistanceHigh, resistanceLow;   ///< ohm (the off and on states)
  Choice<CellType> cellType;

  // Crossbars.
  Quantity xbarRows, xbarCols, subarrayRows; ///< cells
  Quantity transistorTech;                   ///< nm
  Choice<AreaModel> areaModel;

  // Converters.
  Quantity dacBits, adcBits;             ///< bits
  Quantity dacPower, adcPower;           ///< W
  Quantity dacSampleRate, adcSampleRate; ///< GS/s
  Quantity dacArea, adcArea;             ///< um^2
  Quantity adcGateArea;                  ///< um^2 of logic beside each ADC (MNSIM's Logic_Op)
  Choice<AdcTiming> adcTiming;

  // Processing elements.
  Choice<PimType> pimType;
  Quantity crossbarsPerWeight;        ///< 1, or 2 for ± (differential) pairs
  Quantity subPosition;               ///< MNSIM's Sub_Position (where ± is subtracted)
  Quantity groups;                    ///< crossbar groups per PE (bit slices side by side)
  Quantity dacsPerSubarray;           ///< DACs
  Quantity adcsPerSubarray;           ///< ADCs
  Quantity peInputBuffer;             ///< KB, 0: sized from the network as MNSIM does
  Quantity peInputBufferArea;         ///< um^2, 0: MNSIM's SRAM table
  Quantity tileOutputBuffer;          ///< KB, 0: sized from the network
  Quantity tileOutputBufferArea;      ///< um^2, 0: MNSIM's SRAM table

  // Digital parts.
  Quantity digitalClock;                                   ///< MHz
  Quantity adderTech, adderArea, adderPower;               ///< nm, um^2, W
  Quantity shiftRegTech, shiftRegArea, shiftRegPower;      ///< nm, um^2, W
  Quantity regTech, regArea, regPower;                     ///< nm, um^2, W
  Quantity jointModuleTech, jointModuleArea, jointModulePower; ///< nm, um^2, W

  // Tiles and chip.
  Quantity pesPerTile;                 ///< PEs
  Quantity poolingWindow;              ///< inputs one pooling unit reduces
  Quantity poolingUnits;               ///< units per tile
  Quantity poolingTech;                ///< nm
  Quantity interTileBandwidth;         ///< bit/ns
  Quantity intraTileBandwidth;         ///< bit/ns
  Quantity bufferTech;                 ///< nm
  Quantity bufferBus;                  ///< bits
  Quantity tileRows, tileCols;         ///< tiles
  Choice<TileOrder> tileOrder;

  // The tile's buffers and interconnect around a read (hpt's model: per
  // vector, its input bytes in and its output bytes out).
  Quantity inputBufferLatency;  ///< ns per byte of input (or error) in
  Quantity outputBufferLatency; ///< ns per byte of result out
  Quantity bufferEnergy;        ///< pJ per byte in or out

  // The mapping of a frozen weight (hpt's tiling; MNSIM takes them per layer).
  Quantity weightBits; ///< bits of a quantised weight, sign included
  Quantity inputBits;  ///< bits of a quantised input (or error, for W^T d), sign included

  // Writes and wear (NeuroSim V2.1's training write model).
  Quantity writeVoltage;    ///< V
  Quantity writePulseWidth; ///< ns
  Quantity writeLevels;     ///< conductance steps from the off to the on state
  Quantity endurance;       ///< programming events a cell survives

  // Analog non-idealities (each switchable in the simulator).
  Quantity programmingNoise; ///< fraction of the conductance range (sigma)
  Quantity readNoise;        ///< fraction of the conductance range (sigma)
  Quantity driftExponent;    ///< nu in g(t) = g0 (t / t0)^-nu
  Quantity driftReference;   ///< s (t0)
  Quantity stuckOff, stuckOn; ///< fraction of cells
};

} // namespace hpt::hw::pim

#endif // HPT_HARDWARE_PIM_RERAM_H
