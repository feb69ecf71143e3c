sa.stream @dram_overflow {
  sa.config dataflow os array 8 x 8 sram ifmap 4096 filter 4096 ofmap 4096 dram ifmap 100 filter 100 ofmap 100 element f32
  sa.mvin filter dram 30 sram 0 tile 8 x 8 stride 10
}
