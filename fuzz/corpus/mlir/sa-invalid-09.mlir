sa.stream @zero_array {
  sa.config dataflow os array 0 x 8 sram ifmap 64 filter 64 ofmap 64 dram ifmap 65536 filter 65536 ofmap 65536 element f32
}
