// Every verifier error of the sa dialect, one case each.

sa.stream @no_config {
  sa.mvin ifmap dram 0 sram 0 tile 2 x 2 stride 2
}
