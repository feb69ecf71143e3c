func.func @lora_alpha() attributes {hpt.lora = #hpt.lora<rank = 8, alpha = -1.0, dropout = 0.1>} {
  return
}
