sa.stream @vector_source {
  sa.config dataflow os array 8 x 8 sram ifmap 64 filter 64 ofmap 64 dram ifmap 65536 filter 65536 ofmap 65536 element f32
  sa.vector add sram 0 tile 4 x 8 source2 64
}
