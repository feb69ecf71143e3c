sa.stream @preload_os {
  sa.config dataflow os array 8 x 8 sram ifmap 4096 filter 4096 ofmap 4096 dram ifmap 65536 filter 65536 ofmap 65536 element f32
  sa.preload filter sram 0 rows 8 cols 8
}
