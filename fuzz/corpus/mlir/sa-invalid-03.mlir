sa.stream @fold_too_big {
  sa.config dataflow os array 8 x 8 sram ifmap 4096 filter 4096 ofmap 4096 dram ifmap 65536 filter 65536 ofmap 65536 element f32
  sa.compute streamed 4 rows 16 cols 8 operands 0, 0 result 0
}
