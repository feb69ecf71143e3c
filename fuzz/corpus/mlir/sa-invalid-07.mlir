sa.stream @preload_ofmap {
  sa.config dataflow ws array 8 x 8 sram ifmap 64 filter 64 ofmap 64 dram ifmap 65536 filter 65536 ofmap 65536 element f32
  sa.preload ofmap sram 0 rows 2 cols 2
}
