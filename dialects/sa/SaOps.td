//===- SaOps.td - the systolic-array instruction dialect ------------------===//
//
// One op per instruction of hpt's systolic-array machine
// (runtime/systolic/Isa.h): an R x C MAC array with output-, weight- or
// input-stationary dataflow, ifmap/filter/ofmap SRAMs in front of DRAM, and a
// vector unit. Instructions carry addresses, not SSA values, like Gemmini's
// ISA; an `sa.stream` holds one program in order.
//
//===----------------------------------------------------------------------===//

#ifndef SA_OPS_TD
#define SA_OPS_TD

include "mlir/IR/OpBase.td"
include "mlir/IR/AttrTypeBase.td"
include "mlir/IR/EnumAttr.td"
include "mlir/IR/SymbolInterfaces.td"
include "mlir/IR/RegionKindInterface.td"

def Sa_Dialect : Dialect {
  let name = "sa";
  let cppNamespace = "::hpt::sa";
  let summary = "Instruction streams of a systolic array (SCALE-Sim's machine)";
  let description = [{
    ```mlir
    sa.stream @gemm {
      sa.config dataflow os array 8 x 8 sram ifmap 8192 filter 8192 ofmap 8192 dram ifmap 65536 filter 65536 ofmap 65536 element f32
      sa.mvin ifmap dram 0 sram 0 tile 8 x 16 stride 16
      sa.mvin filter dram 0 sram 0 tile 16 x 8 stride 8
      sa.compute streamed 16 rows 8 cols 8 operands 0, 0 result 0 first last
      sa.mvout dram 0 sram 0 tile 8 x 8 stride 8
      sa.fence
    }
    ```
  }];
  let useDefaultAttributePrinterParser = 1;
}

class Sa_Op<string mnemonic, list<Trait> traits = []> : Op<Sa_Dialect, mnemonic, traits>;

def Sa_Dataflow : I32EnumAttr<"Dataflow", "systolic dataflow", [
    I32EnumAttrCase<"os", 0>, I32EnumAttrCase<"ws", 1>, I32EnumAttrCase<"is", 2>]> {
  let cppNamespace = "::hpt::sa";
  let genSpecializedAttr = 0;
}
def Sa_DataflowAttr : EnumAttr<Sa_Dialect, Sa_Dataflow, "dataflow">;

def Sa_Buffer : I32EnumAttr<"Buffer", "an SRAM of the array", [
    I32EnumAttrCase<"ifmap", 0>, I32EnumAttrCase<"filter", 1>, I32EnumAttrCase<"ofmap", 2>]> {
  let cppNamespace = "::hpt::sa";
  let genSpecializedAttr = 0;
}
def Sa_BufferAttr : EnumAttr<Sa_Dialect, Sa_Buffer, "buffer">;

def Sa_ElementType : I32EnumAttr<"ElementType", "operand type (i8 accumulates in i32)", [
    I32EnumAttrCase<"f32", 0>, I32EnumAttrCase<"i8", 1>]> {
  let cppNamespace = "::hpt::sa";
  let genSpecializedAttr = 0;
}
def Sa_ElementTypeAttr : EnumAttr<Sa_Dialect, Sa_ElementType, "element">;

def Sa_VectorKind : I32EnumAttr<"VectorKind", "a vector-unit operation", [
    I32EnumAttrCase<"softmax", 0>, I32EnumAttrCase<"layer_norm", 1>,
    I32EnumAttrCase<"add", 2>, I32EnumAttrCase<"scale", 3>,
    I32EnumAttrCase<"relu", 4>, I32EnumAttrCase<"gelu", 5>,
    I32EnumAttrCase<"add_row", 6>, I32EnumAttrCase<"relu_grad", 7>,
    I32EnumAttrCase<"gelu_grad", 8>, I32EnumAttrCase<"softmax_grad", 9>,
    I32EnumAttrCase<"mul", 10>, I32EnumAttrCase<"layer_norm_grad", 11>,
    I32EnumAttrCase<"sgd", 12>, I32EnumAttrCase<"sgd_momentum", 13>,
    I32EnumAttrCase<"adam", 14>]> {
  let cppNamespace = "::hpt::sa";
  let genSpecializedAttr = 0;
}
def Sa_VectorKindAttr : EnumAttr<Sa_Dialect, Sa_VectorKind, "vector">;

def Sa_ArrayAttr : AttrDef<Sa_Dialect, "Array"> {
  let mnemonic = "array";
  let summary = "The array an hpt op is tiled for (set by hpt-systolic-tile)";
  let description = [{
    `#sa.array<ws, 8 x 8, sram = [65536, 65536, 65536]>`: dataflow, rows x
    cols of MACs, and the ifmap, filter and ofmap SRAM capacities in elements;
    `#sa.array<..., element = i8>` for an int8 array (f32 when absent).
  }];
  let parameters = (ins EnumParameter<Sa_Dataflow>:$dataflow, "int64_t":$rows,
                        "int64_t":$cols, "int64_t":$ifmapWords, "int64_t":$filterWords,
                        "int64_t":$ofmapWords,
                        DefaultValuedParameter<"::hpt::sa::ElementType",
                                               "::hpt::sa::ElementType::f32">:$element);
  let assemblyFormat = [{
    `<` $dataflow `,` $rows `x` $cols `,` `sram` `=` `[` $ifmapWords `,` $filterWords `,`
    $ofmapWords `]` (`,` `element` `=` $element^)? `>`
  }];
}

def Sa_Count : ConfinedAttr<I64Attr, [IntPositive]>;
def Sa_Address : ConfinedAttr<I64Attr, [IntNonNegative]>;

def Sa_StreamOp : Sa_Op<"stream", [Symbol, NoTerminator, SingleBlock,
    RegionKindInterface, HasParent<"::mlir::ModuleOp">]> {
  let summary = "One instruction stream, executed in order";
  let description = [{
    The verifier runs the stream's bookkeeping: the first instruction is an
    `sa.config`; every SRAM range an instruction touches lies inside that
    SRAM's capacity; a fold uses at most the array's rows and columns.
  }];
  let arguments = (ins SymbolNameAttr:$sym_name);
  let regions = (region SizedRegion<1>:$body);
  let assemblyFormat = "$sym_name attr-dict-with-keyword $body";
  let hasRegionVerifier = 1;
  let extraClassDeclaration = [{
    static ::mlir::RegionKind getRegionKind(unsigned) {
      return ::mlir::RegionKind::Graph;
    }
  }];
}

def Sa_ConfigOp : Sa_Op<"config", [HasParent<"StreamOp">]> {
  let summary = "Dataflow, array size, SRAM capacities and DRAM regions (elements), element type";
  let arguments = (ins Sa_DataflowAttr:$dataflow, Sa_Count:$rows, Sa_Count:$cols,
                       Sa_Count:$ifmap_words, Sa_Count:$filter_words, Sa_Count:$ofmap_words,
                       Sa_Count:$ifmap_dram_words, Sa_Count:$filter_dram_words,
                       Sa_Count:$ofmap_dram_words, Sa_ElementTypeAttr:$element,
                       DefaultValuedAttr<Sa_Address, "0">:$bandwidth);
  let assemblyFormat = [{
    `dataflow` `` $dataflow `array` $rows `x` $cols `sram` `ifmap` $ifmap_words
    `filter` $filter_words `ofmap` $ofmap_words `dram` `ifmap` $ifmap_dram_words
    `filter` $filter_dram_words `ofmap` $ofmap_dram_words `element` `` $element
    (`bandwidth` $bandwidth^)? attr-dict
  }];
}

def Sa_MoveInOp : Sa_Op<"mvin", [HasParent<"StreamOp">]> {
  let summary = "DRAM -> SRAM, a rows x cols tile (ofmap: the vector unit's operands)";
  let arguments = (ins Sa_BufferAttr:$buffer, Sa_Address:$dram, Sa_Address:$sram,
                       Sa_Count:$rows, Sa_Count:$cols, Sa_Count:$stride);
  let assemblyFormat = [{
    `` $buffer `dram` $dram `sram` $sram `tile` $rows `x` $cols `stride` $stride attr-dict
  }];
}

def Sa_MoveOutOp : Sa_Op<"mvout", [HasParent<"StreamOp">]> {
  let summary = "ofmap SRAM -> DRAM, a rows x cols tile (accumulate: add to DRAM)";
  let arguments = (ins Sa_Address:$dram, Sa_Address:$sram, Sa_Count:$rows,
                       Sa_Count:$cols, Sa_Count:$stride, UnitAttr:$accumulate);
  let assemblyFormat = [{
    `dram` $dram `sram` $sram `tile` $rows `x` $cols `stride` $stride
    (`accumulate` $accumulate^)? attr-dict
  }];
}

def Sa_PreloadOp : Sa_Op<"preload", [HasParent<"StreamOp">]> {
  let summary = "Load a fold's stationary operand into the array (ws: filter, is: ifmap)";
  let arguments = (ins Sa_BufferAttr:$buffer, Sa_Address:$sram, Sa_Count:$rows,
                       Sa_Count:$cols);
  let assemblyFormat = "`` $buffer `sram` $sram `rows` $rows `cols` $cols attr-dict";
}

def Sa_ComputeOp : Sa_Op<"compute", [HasParent<"StreamOp">]> {
  let summary = "Stream lines through the array: one fold, or one chunk of a fold";
  let description = [{
    `streamed` lines (SCALE-Sim's T, or a chunk of it when a fold's streamed
    data does not fit half an SRAM) flow through `rows` x `cols` used PEs.
    `operands`: for os the ifmap and filter tiles; for ws/is the streamed tile
    (the stationary one is already in the array; the second address is 0). `first` marks a fold's first chunk (it pays the fill),
    `last` its last (it pays the drain).
  }];
  let arguments = (ins Sa_Count:$streamed, Sa_Count:$rows, Sa_Count:$cols,
                       Sa_Address:$streamed_address, Sa_Address:$stationary_address,
                       Sa_Address:$result, UnitAttr:$first, UnitAttr:$last);
  let assemblyFormat = [{
    `streamed` $streamed `rows` $rows `cols` $cols `operands` $streamed_address `,`
    $stationary_address `result` $result (`first` $first^)? (`last` $last^)? attr-dict
  }];
}

def Sa_VectorOp : Sa_Op<"vector", [HasParent<"StreamOp">]> {
  let summary = "A vector-unit operation on a rows x cols ofmap-SRAM tile";
  let description = [{
    The result overwrites the tile. Row-wise for softmax, layer_norm and its
    gradient (`scalar` is the norm's eps, scale's factor). `source2` is where
    the op's operand tiles start, each rows x cols, one after the other: the
    second tensor of add and mul, the forward operand of the gradients (the
    tile is the upstream gradient), an optimizer's gradient and then the state
    it updates in place (the tile is the parameter). `block` is add_row's row
    (a bias, added to every row), layer_norm's gamma and beta rows,
    layer_norm_grad's gamma, dgamma and dbeta rows (the two sums start from
    zero with `first`), or an optimizer's coefficients (docs/dialects/sa.md).
    The unit has one lane per array column.
    ```mlir
    sa.vector adam sram 20 tile 4 x 8 source2 52 block 0
    ```
  }];
  let arguments = (ins Sa_VectorKindAttr:$kind, Sa_Address:$sram, Sa_Count:$rows,
                       Sa_Count:$cols, DefaultValuedAttr<Sa_Address, "0">:$source2,
                       DefaultValuedAttr<Sa_Address, "0">:$block, UnitAttr:$first,
                       DefaultValuedAttr<F32Attr, "0.0">:$scalar);
  let assemblyFormat = [{
    `` $kind `sram` $sram `tile` $rows `x` $cols (`source2` $source2^)? (`block` $block^)?
    (`first` $first^)? (`scalar` $scalar^)? attr-dict
  }];
}

def Sa_FenceOp : Sa_Op<"fence", [HasParent<"StreamOp">]> {
  let summary = "Wait until every earlier instruction has finished";
  let assemblyFormat = "attr-dict";
}

#endif // SA_OPS_TD
