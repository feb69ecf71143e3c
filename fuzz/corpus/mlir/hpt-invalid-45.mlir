func.func @lora_rank() attributes {hpt.lora = #hpt.lora<rank = 0, alpha = 64.0, dropout = 0.1>} {
  return
}
