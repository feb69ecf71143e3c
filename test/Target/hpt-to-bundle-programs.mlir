// A module with a full and a LoRA program (hpt-lora, then hpt-autodiff for
// each) is written as one bundle whose "programs" list pairs each training
// step with its evaluation function; the LoRA program carries its
// configuration and its adapters (target weight, A, B).
// RUN: %python %models/generate.py --app tiny | hpt-opt --hpt-lora --hpt-autodiff="optimizer=adam" --hpt-autodiff="function=forward_lora train-function=train_step_lora optimizer=adamw" | hpt-translate --hpt-to-bundle | FileCheck %s
// CHECK: HPTBUNDLE 3 1
// CHECK-NEXT: SECTION program
// CHECK-NEXT: "programs":[{"eval":"forward","train":"train_step"},
// CHECK-SAME: {"eval":"forward_lora","lora":{"adapters":[
// CHECK-SAME: {"a":"lora.enc.0.attn.wq.a","b":"lora.enc.0.attn.wq.b","target":"enc.0.attn.wq"},
// CHECK-SAME: {"a":"lora.enc.0.attn.wv.a","b":"lora.enc.0.attn.wv.b","target":"enc.0.attn.wv"},
// CHECK-SAME: {"a":"lora.enc.1.attn.wq.a","b":"lora.enc.1.attn.wq.b","target":"enc.1.attn.wq"},
// CHECK-SAME: {"a":"lora.enc.1.attn.wv.a","b":"lora.enc.1.attn.wv.b","target":"enc.1.attn.wv"}],
// CHECK-SAME: "alpha":64,"base":"forward","dropout":0.10000000000000001,"rank":8},"train":"train_step_lora"}],"version":3}

// A training step that names no function of the module is refused.
// RUN: hpt-translate --hpt-to-bundle %s -verify-diagnostics

// expected-error @+1 {{'func.func' op is the training step of @missing, which is not a function of the module}}
func.func @train_step() attributes {hpt.train_step_of = @missing} {
  return
}
