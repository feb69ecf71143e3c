// Every verifier error of the sa dialect, one case each.
// RUN: hpt-opt %s -split-input-file -verify-diagnostics

sa.stream @no_config {
  // expected-error @+1 {{'sa.mvin' op comes before the stream's sa.config}}
  sa.mvin ifmap dram 0 sram 0 tile 2 x 2 stride 2
}

// -----

sa.stream @sram_overflow {
  sa.config dataflow os array 8 x 8 sram ifmap 64 filter 64 ofmap 64 dram ifmap 65536 filter 65536 ofmap 65536 element f32
  // expected-error @+1 {{'sa.mvin' op reaches ifmap word 71, past the SRAM's 64 words}}
  sa.mvin ifmap dram 0 sram 8 tile 8 x 8 stride 8
}

// -----

sa.stream @dram_overflow {
  sa.config dataflow os array 8 x 8 sram ifmap 4096 filter 4096 ofmap 4096 dram ifmap 100 filter 100 ofmap 100 element f32
  // expected-error @+1 {{'sa.mvin' op reaches filter DRAM word 107, past the region's 100 words}}
  sa.mvin filter dram 30 sram 0 tile 8 x 8 stride 10
}

// -----

sa.stream @fold_too_big {
  sa.config dataflow os array 8 x 8 sram ifmap 4096 filter 4096 ofmap 4096 dram ifmap 65536 filter 65536 ofmap 65536 element f32
  // expected-error @+1 {{'sa.compute' op uses 16 x 8 PEs of a 8 x 8 array}}
  sa.compute streamed 4 rows 16 cols 8 operands 0, 0 result 0
}

// -----

sa.stream @result_overflow {
  sa.config dataflow ws array 8 x 8 sram ifmap 4096 filter 4096 ofmap 100 dram ifmap 65536 filter 65536 ofmap 65536 element f32
  // expected-error @+1 {{'sa.compute' op reaches ofmap word 255, past the SRAM's 100 words}}
  sa.compute streamed 32 rows 8 cols 8 operands 0, 0 result 0
}

// -----

sa.stream @preload_os {
  sa.config dataflow os array 8 x 8 sram ifmap 4096 filter 4096 ofmap 4096 dram ifmap 65536 filter 65536 ofmap 65536 element f32
  // expected-error @+1 {{'sa.preload' op has nothing to preload in an output-stationary array}}
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
  // expected-error @+1 {{'sa.preload' op preloads a stationary operand from ifmap or filter SRAM}}
  sa.preload ofmap sram 0 rows 2 cols 2
}

// -----

sa.stream @vector_source {
  sa.config dataflow os array 8 x 8 sram ifmap 64 filter 64 ofmap 64 dram ifmap 65536 filter 65536 ofmap 65536 element f32
  // expected-error @+1 {{'sa.vector' op reaches ofmap word 95, past the SRAM's 64 words}}
  sa.vector add sram 0 tile 4 x 8 source2 64
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
