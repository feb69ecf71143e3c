// Every verifier error of the sa dialect, one case each: the rules are the
// instruction set's own (hardware/systolic/Check.h), which the simulator applies too.
// RUN: hpt-opt %s -split-input-file -verify-diagnostics

sa.stream @no_config {
  // expected-error @+1 {{'sa.mvin' op runs before any CONFIG}}
  sa.mvin ifmap dram 0 sram 0 tile 2 x 2 stride 2
}

// -----

sa.stream @sram_overflow {
  sa.config dataflow os array 8 x 8 sram ifmap 64 filter 64 ofmap 64 dram ifmap 65536 filter 65536 ofmap 65536 element f32
  // expected-error @+1 {{'sa.mvin' op ifmap SRAM tile [8, 72) is out of range (capacity 64 words)}}
  sa.mvin ifmap dram 0 sram 8 tile 8 x 8 stride 8
}

// -----

sa.stream @dram_overflow {
  sa.config dataflow os array 8 x 8 sram ifmap 4096 filter 4096 ofmap 4096 dram ifmap 100 filter 100 ofmap 100 element f32
  // expected-error @+1 {{'sa.mvin' op filter DRAM tile [30, 108) is out of range (capacity 100 words)}}
  sa.mvin filter dram 30 sram 0 tile 8 x 8 stride 10
}

// -----

sa.stream @fold_too_big {
  sa.config dataflow os array 8 x 8 sram ifmap 4096 filter 4096 ofmap 4096 dram ifmap 65536 filter 65536 ofmap 65536 element f32
  // expected-error @+1 {{'sa.compute' op needs 0 < rows <= 8, 0 < cols <= 8 and stream > 0}}
  sa.compute streamed 4 rows 16 cols 8 operands 0, 0 result 0
}

// -----

sa.stream @result_overflow {
  sa.config dataflow ws array 8 x 8 sram ifmap 4096 filter 4096 ofmap 100 dram ifmap 65536 filter 65536 ofmap 65536 element f32
  sa.mvin filter dram 0 sram 0 tile 8 x 8 stride 8
  sa.preload filter sram 0 rows 8 cols 8
  // expected-error @+1 {{'sa.compute' op ofmap tile [0, 256) is out of range (capacity 100 words)}}
  sa.compute streamed 32 rows 8 cols 8 operands 0, 0 result 0 first last
}

// -----

sa.stream @no_first {
  sa.config dataflow os array 8 x 8 sram ifmap 4096 filter 4096 ofmap 4096 dram ifmap 65536 filter 65536 ofmap 65536 element f32
  // expected-error @+1 {{'sa.compute' op continues no fold of this shape (missing first=1)}}
  sa.compute streamed 4 rows 8 cols 8 operands 0, 0 result 0 last
}

// -----

sa.stream @no_preload {
  sa.config dataflow is array 8 x 8 sram ifmap 4096 filter 4096 ofmap 4096 dram ifmap 65536 filter 65536 ofmap 65536 element f32
  // expected-error @+1 {{'sa.compute' op no PRELOAD of a 8x8 tile before this fold}}
  sa.compute streamed 4 rows 8 cols 8 operands 0, 0 result 0 first last
}

// -----

// expected-error @+1 {{'sa.stream' op the stream ends inside a fold (no COMPUTE with last=1)}}
sa.stream @unfinished_fold {
  sa.config dataflow os array 8 x 8 sram ifmap 4096 filter 4096 ofmap 4096 dram ifmap 65536 filter 65536 ofmap 65536 element f32
  sa.mvin ifmap dram 0 sram 0 tile 8 x 4 stride 4
  sa.mvin filter dram 0 sram 0 tile 4 x 8 stride 8
  sa.compute streamed 4 rows 8 cols 8 operands 0, 0 result 0 first
}

// -----

sa.stream @vector_in_fold {
  sa.config dataflow os array 8 x 8 sram ifmap 4096 filter 4096 ofmap 4096 dram ifmap 65536 filter 65536 ofmap 65536 element f32
  sa.mvin ifmap dram 0 sram 0 tile 8 x 4 stride 4
  sa.mvin filter dram 0 sram 0 tile 4 x 8 stride 8
  sa.compute streamed 4 rows 8 cols 8 operands 0, 0 result 0 first
  // expected-error @+1 {{'sa.vector' op VECTOR inside a fold}}
  sa.vector relu sram 0 tile 8 x 8
}

// -----

sa.stream @preload_os {
  sa.config dataflow os array 8 x 8 sram ifmap 4096 filter 4096 ofmap 4096 dram ifmap 65536 filter 65536 ofmap 65536 element f32
  // expected-error @+1 {{'sa.preload' op output-stationary folds have no PRELOAD}}
  sa.preload filter sram 0 rows 8 cols 8
}

// -----

sa.stream @preload_wrong_buffer {
  sa.config dataflow ws array 8 x 8 sram ifmap 4096 filter 4096 ofmap 4096 dram ifmap 65536 filter 65536 ofmap 65536 element f32
  // expected-error @+1 {{'sa.preload' op preloads from ifmap, but the ws dataflow keeps filter stationary}}
  sa.preload ifmap sram 0 rows 8 cols 8
}

// -----

sa.stream @preload_ofmap {
  sa.config dataflow ws array 8 x 8 sram ifmap 64 filter 64 ofmap 64 dram ifmap 65536 filter 65536 ofmap 65536 element f32
  // expected-error @+1 {{'sa.preload' op preloads from ofmap, but the ws dataflow keeps filter stationary}}
  sa.preload ofmap sram 0 rows 2 cols 2
}

// -----

sa.stream @vector_source {
  sa.config dataflow os array 8 x 8 sram ifmap 64 filter 64 ofmap 64 dram ifmap 65536 filter 65536 ofmap 65536 element f32
  // expected-error @+1 {{'sa.vector' op ofmap SRAM operand tiles [64, 96) is out of range (capacity 64 words)}}
  sa.vector add sram 0 tile 4 x 8 source2 64
}

// -----

sa.stream @adam_operands {
  sa.config dataflow ws array 8 x 8 sram ifmap 64 filter 64 ofmap 64 dram ifmap 65536 filter 65536 ofmap 65536 element f32
  // Adam reads three operand tiles (gradient, m, v) of the tile's shape.
  // expected-error @+1 {{'sa.vector' op ofmap SRAM operand tiles [24, 72) is out of range (capacity 64 words)}}
  sa.vector adam sram 0 tile 2 x 8 source2 24 block 0
}

// -----

sa.stream @optimizer_block {
  sa.config dataflow ws array 8 x 8 sram ifmap 64 filter 64 ofmap 64 dram ifmap 65536 filter 65536 ofmap 65536 element f32
  // Nine coefficients from word 60 run past the SRAM.
  // expected-error @+1 {{'sa.vector' op ofmap SRAM block [60, 69) is out of range (capacity 64 words)}}
  sa.vector adam sram 0 tile 1 x 8 source2 8 block 60
}

// -----

sa.stream @int8_optimizer {
  sa.config dataflow ws array 8 x 8 sram ifmap 64 filter 64 ofmap 64 dram ifmap 65536 filter 65536 ofmap 65536 element i8
  // expected-error @+1 {{'sa.vector' op sgd runs on an fp32 array only}}
  sa.vector sgd sram 0 tile 1 x 8 source2 8 block 16
}

// -----

sa.stream @zero_array {
  // expected-error @+1 {{'sa.config' op attribute 'rows' failed to satisfy constraint: 64-bit signless integer attribute whose value is positive}}
  sa.config dataflow os array 0 x 8 sram ifmap 64 filter 64 ofmap 64 dram ifmap 65536 filter 65536 ofmap 65536 element f32
}

// -----

sa.stream @negative_address {
  sa.config dataflow os array 8 x 8 sram ifmap 64 filter 64 ofmap 64 dram ifmap 65536 filter 65536 ofmap 65536 element f32
  // expected-error @+1 {{'sa.mvout' op attribute 'sram' failed to satisfy constraint: 64-bit signless integer attribute whose value is non-negative}}
  sa.mvout dram 0 sram -1 tile 2 x 2 stride 2
}

// -----

func.func @outside_stream() {
  // expected-error @+1 {{'sa.fence' op expects parent op 'sa.stream'}}
  sa.fence
  return
}

// -----

sa.stream @bad_dataflow {
  // expected-error @+2 {{expected ::hpt::sa::Dataflow to be one of: os, ws, is}}
  // expected-error @+1 {{failed to parse Sa_DataflowAttr parameter 'value'}}
  sa.config dataflow rs array 8 x 8 sram ifmap 64 filter 64 ofmap 64 dram ifmap 65536 filter 65536 ofmap 65536 element f32
}

// -----

sa.stream @unwritten_operand {
  sa.config dataflow os array 8 x 8 sram ifmap 4096 filter 4096 ofmap 4096 dram ifmap 65536 filter 65536 ofmap 65536 element f32
  sa.mvin ofmap dram 0 sram 0 tile 4 x 8 stride 8
  // A stream reads only what it wrote: add's second tile was never moved in.
  // expected-error @+1 {{'sa.vector' op reads operand tiles [32, 64) of the ofmap SRAM, which the stream has not written}}
  sa.vector add sram 0 tile 4 x 8 source2 32
}

// -----

sa.stream @unwritten_sums {
  sa.config dataflow os array 8 x 8 sram ifmap 4096 filter 4096 ofmap 4096 dram ifmap 65536 filter 65536 ofmap 65536 element f32
  sa.mvin ofmap dram 0 sram 0 tile 1 x 128 stride 128
  // Without `first` layer norm's gradient adds to dgamma and dbeta (words 144 to 160).
  // expected-error @+1 {{'sa.vector' op reads block [128, 152) of the ofmap SRAM, which the stream has not written}}
  sa.vector layer_norm_grad sram 0 tile 2 x 8 source2 16 block 128
}

// -----

sa.stream @unwritten_filter {
  sa.config dataflow ws array 8 x 8 sram ifmap 4096 filter 4096 ofmap 4096 dram ifmap 65536 filter 65536 ofmap 65536 element f32
  sa.mvin filter dram 0 sram 0 tile 4 x 8 stride 8
  // expected-error @+1 {{'sa.preload' op reads its tile [0, 64) of the filter SRAM, which the stream has not written}}
  sa.preload filter sram 0 rows 8 cols 8
}
