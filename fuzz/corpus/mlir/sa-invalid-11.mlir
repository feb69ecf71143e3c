func.func @outside_stream() {
  sa.fence
  return
}
