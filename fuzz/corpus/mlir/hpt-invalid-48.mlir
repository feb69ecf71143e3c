func.func @device_kind() attributes {hpt.device = #hpt.device<tpu>} {
  return
}
