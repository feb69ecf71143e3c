//===- PimOps.td - the ReRAM processing-in-memory dialect -----------------===//
//
// Frozen weights in ReRAM crossbars (hpt's own model, hardware/pim/Tiling.h):
// where a weight's bit-sliced blocks sit (`pim.crossbars`, set by
// hpt-crossbar-tile), writing it once (`pim.program`), and the products that
// read it (`pim.kernel`s of `pim.quantize`, `pim.mvm`, `pim.shift_add`, made
// by convert-hpt-to-pim). IR only: hpt-run's ReRAM device executes what the
// bundle's ReRAM section says, with the same tiling and costs.
//
//===----------------------------------------------------------------------===//

#ifndef PIM_OPS_TD
#define PIM_OPS_TD

include "mlir/IR/OpBase.td"
include "mlir/IR/SymbolInterfaces.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

def Pim_Dialect : Dialect {
  let name = "pim";
  let cppNamespace = "::hpt::pim";
  let summary = "Frozen weights in ReRAM crossbars and the bit-serial products that read them";
  let description = [{
    ```mlir
    pim.crossbars @wq param @frozen transposed weight 300 x 200 bits 8 cell 2 differential
        in 128 x 128 input 8 dac 1 adc 8 adcs 16 blocks 3 x 2 slices 4 crossbars 48 pes 24
        tiles 0 + 1 utilisation 6.103516e-01
    pim.kernel @program_wq {
    ^bb0(%w: tensor<200x300xf32>):
      pim.program @wq, %w transposed : tensor<200x300xf32>
      pim.yield
    }
    pim.kernel @forward_pim_0 {
    ^bb0(%x: tensor<16x300xf32>):
      %q, %s = pim.quantize %x bits 8 : tensor<16x300xf32> -> tensor<16x300xi32>, tensor<16xf32>
      %p = pim.mvm @wq, %q : tensor<16x300xi32> -> tensor<3x4x16x200xi32>
      %y = pim.shift_add @wq, %p, %s : tensor<3x4x16x200xi32>, tensor<16xf32> -> tensor<16x200xf32>
      pim.yield %y : tensor<16x200xf32>
    }
    ```
  }];
}

class Pim_Op<string mnemonic, list<Trait> traits = []> : Op<Pim_Dialect, mnemonic, traits>;

def Pim_Count : ConfinedAttr<I64Attr, [IntPositive]>;
def Pim_Index : ConfinedAttr<I64Attr, [IntNonNegative]>;

def Pim_CrossbarsOp : Pim_Op<"crossbars", [Symbol, HasParent<"::mlir::ModuleOp">]> {
  let summary = "The crossbars one frozen weight occupies";
  let description = [{
    The stored matrix S[rows × cols] (y = x·S reads it forward, x·Sᵀ
    transposed) of parameter `param` (S is the parameter, or its transpose
    when `transposed`: a linear layer's out×in weight), quantised to `bits` (sign included)
    and cut into `blocks` of the `in` crossbar size, each block's values in
    `slices` of `cell` bits, on ± pairs of crossbars when `differential`
    (else offset-binary values in one crossbar). A PE holds a slice's
    crossbars (`groups` slices side by side); `pes` PEs fill `tiles` tiles
    from `first` (a weight starts a tile). `input`, `dac`, `adc` and `adcs`
    (ADCs per crossbar) are how its reads run. The verifier recomputes the
    counts with the hardware model's tiling (hardware/pim/Tiling.h).
  }];
  let arguments = (ins SymbolNameAttr:$sym_name, FlatSymbolRefAttr:$param,
                       UnitAttr:$transposed_param, Pim_Count:$rows, Pim_Count:$cols, Pim_Count:$bits, Pim_Count:$cell,
                       UnitAttr:$differential, Pim_Count:$xbar_rows, Pim_Count:$xbar_cols,
                       Pim_Count:$groups, Pim_Count:$pes_per_tile,
                       Pim_Count:$input, Pim_Count:$dac, Pim_Count:$adc, Pim_Count:$adcs,
                       Pim_Count:$row_blocks, Pim_Count:$col_blocks, Pim_Count:$slices,
                       Pim_Count:$crossbars, Pim_Count:$pes, Pim_Index:$first_tile,
                       Pim_Count:$tiles, F64Attr:$utilisation);
  let assemblyFormat = [{
    $sym_name `param` $param (`transposed` $transposed_param^)? `weight` $rows `x` $cols `bits` $bits `cell` $cell
    (`differential` $differential^)? `in` $xbar_rows `x` $xbar_cols `groups` $groups
    `pes_per_tile` $pes_per_tile `input` $input `dac` $dac `adc` $adc `adcs` $adcs
    `blocks` $row_blocks `x` $col_blocks `slices` $slices `crossbars` $crossbars `pes` $pes
    `tiles` $first_tile `+` $tiles `utilisation` $utilisation attr-dict
  }];
  let hasVerifier = 1;
}

def Pim_KernelOp : Pim_Op<"kernel", [Symbol, HasParent<"::mlir::ModuleOp">,
    IsolatedFromAbove, SingleBlock]> {
  let summary = "The crossbar work of one op, on the op's operands (block arguments)";
  let arguments = (ins SymbolNameAttr:$sym_name);
  let regions = (region SizedRegion<1>:$body);
  let assemblyFormat = "$sym_name attr-dict-with-keyword $body";
}

def Pim_YieldOp : Pim_Op<"yield", [Terminator, HasParent<"KernelOp">, Pure]> {
  let summary = "The kernel's results";
  let arguments = (ins Variadic<AnyRankedTensor>:$results);
  let assemblyFormat = "($results^ `:` type($results))? attr-dict";
}

def Pim_ProgramOp : Pim_Op<"program", [HasParent<"KernelOp">]> {
  let summary = "Write a weight into its crossbars' cells (once, when a program starts)";
  let description = [{
    `weight` is the parameter as stored (`transposed`: the parameter is Sᵀ).
    Its cost is NeuroSim V2.1's write model over the weight's cells, as the
    cost model estimates it (levels spread evenly; the device counts the
    real pulses): `pulses`, `latency_ns`, `energy_pJ`.
  }];
  let arguments = (ins FlatSymbolRefAttr:$crossbars, AnyRankedTensor:$weight,
                       UnitAttr:$transposed, OptionalAttr<I64Attr>:$pulses,
                       OptionalAttr<F64Attr>:$latency_ns, OptionalAttr<F64Attr>:$energy_pJ);
  let assemblyFormat = [{
    $crossbars `,` $weight (`transposed` $transposed^)? attr-dict `:` type($weight)
  }];
  let hasVerifier = 1;
}

def Pim_QuantizeOp : Pim_Op<"quantize", [HasParent<"KernelOp">, Pure]> {
  let summary = "Signed `bits`-bit integers per row: q = round(x / s), s = max|x_row| / (2^(bits-1) - 1)";
  let arguments = (ins AnyRankedTensor:$input, Pim_Count:$bits);
  let results = (outs AnyRankedTensor:$quantised, AnyRankedTensor:$scales);
  let assemblyFormat = [{
    $input `bits` $bits attr-dict `:` type($input) `->` type($quantised) `,` type($scales)
  }];
  let hasVerifier = 1;
}

def Pim_MvmOp : Pim_Op<"mvm", [HasParent<"KernelOp">, Pure]> {
  let summary = "Bit-serial matrix-vector products through a weight's crossbars";
  let description = [{
    Each row of `input` (quantised, offset to unsigned) is streamed `dac`
    bits per cycle into every crossbar of the weight at once; each column's
    sum is converted by one of the crossbar's `adcs` shared ADCs (`adc`
    bits). The result holds, per block along the driven side (row blocks;
    column blocks when `transposed`) and per slice, the shifted-and-added
    ADC codes of the input cycles with the − crossbar's taken from the +
    one's. `transposed` drives the columns with δ and converts the rows:
    δ·Sᵀ (Wᵀ·δ for backpropagation), hpt's model after NeuroSim V2.1's
    training read. `latency_ns`, `energy_pJ` and `conversions` are the
    hardware model's read cost (hardware/pim/Tiling.h readCost).
  }];
  let arguments = (ins FlatSymbolRefAttr:$crossbars, AnyRankedTensor:$input,
                       UnitAttr:$transposed, OptionalAttr<I64Attr>:$conversions,
                       OptionalAttr<F64Attr>:$latency_ns, OptionalAttr<F64Attr>:$energy_pJ);
  let results = (outs AnyRankedTensor:$partials);
  let assemblyFormat = [{
    $crossbars `,` $input (`transposed` $transposed^)? attr-dict `:` type($input) `->`
    type($partials)
  }];
  let hasVerifier = 1;
}

def Pim_ShiftAddOp : Pim_Op<"shift_add", [HasParent<"KernelOp">, Pure]> {
  let summary = "Add a product's partial sums across blocks and slices and scale it back";
  let description = [{
    Σ over blocks and slices of partials · 2^(slice · cell), minus the input
    offset's share (2^(input-1) times the stored matrix's column sums, row
    sums when the read was transposed) and, for offset-binary weights, the
    weight offset's; times each row's input scale and the weight's scale.
  }];
  let arguments = (ins FlatSymbolRefAttr:$crossbars, AnyRankedTensor:$partials,
                       AnyRankedTensor:$scales);
  let results = (outs AnyRankedTensor:$result);
  let assemblyFormat = [{
    $crossbars `,` $partials `,` $scales attr-dict `:` type($partials) `,` type($scales) `->`
    type($result)
  }];
  let hasVerifier = 1;
}

#endif // PIM_OPS_TD
