sa.stream @result_overflow {
  sa.config dataflow ws array 8 x 8 sram ifmap 4096 filter 4096 ofmap 100 dram ifmap 65536 filter 65536 ofmap 65536 element f32
  sa.compute streamed 32 rows 8 cols 8 operands 0, 0 result 0
}
