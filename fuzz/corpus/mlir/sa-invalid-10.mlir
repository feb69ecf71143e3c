sa.stream @negative_address {
  sa.config dataflow os array 8 x 8 sram ifmap 64 filter 64 ofmap 64 dram ifmap 65536 filter 65536 ofmap 65536 element f32
  sa.mvout dram 0 sram -1 tile 2 x 2 stride 2
}
