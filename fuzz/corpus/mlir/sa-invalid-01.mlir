sa.stream @sram_overflow {
  sa.config dataflow os array 8 x 8 sram ifmap 64 filter 64 ofmap 64 dram ifmap 65536 filter 65536 ofmap 65536 element f32
  sa.mvin ifmap dram 0 sram 8 tile 8 x 8 stride 8
}
