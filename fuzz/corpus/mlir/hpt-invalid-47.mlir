func.func @lora_dropout() attributes {hpt.lora = #hpt.lora<rank = 8, alpha = 64.0, dropout = 1.0>} {
  return
}
