//===- Passes.td - hpt transformation passes ------------------------------===//

#ifndef HPT_TRANSFORMS_PASSES_TD
#define HPT_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

def HptDecomposeAttention : Pass<"hpt-decompose-attention"> {
  let summary = "Expand hpt.self_attention into linear, matmul and softmax ops";
  let description = [{
    Rewrites every `hpt.self_attention` into its definition, so that later
    passes see each GEMM on its own (the projections are linear layers that can
    take LoRA adapters or live in crossbars; the score products are dynamic
    GEMMs for a systolic array):

    ```mlir
    %a = hpt.self_attention %x, %wq, %bq, %wk, %bk, %wv, %bv, %wo, %bo heads 2 head_dim 4
        : (tensor<1x3x8xf32>, ...) -> tensor<1x3x8xf32>
    ```
    becomes
    ```mlir
    %q  = hpt.linear %x, %wq, %bq : ... -> tensor<1x3x8xf32>
    %q4 = hpt.reshape %q : tensor<1x3x8xf32> -> tensor<1x3x2x4xf32>
    %qh = hpt.transpose %q4 [0, 2, 1, 3] : tensor<1x3x2x4xf32> -> tensor<1x2x3x4xf32>
    ...                                          (likewise K and V)
    %s  = hpt.batch_matmul %qh, %kh transpose_rhs : ... -> tensor<1x2x3x3xf32>
    %ss = hpt.scale %s by 5.000000e-01 : tensor<1x2x3x3xf32>
    %p  = hpt.softmax %ss axis -1 : tensor<1x2x3x3xf32>
    %o  = hpt.batch_matmul %p, %vh : ... -> tensor<1x2x3x4xf32>
    %ot = hpt.transpose %o [0, 2, 1, 3] : tensor<1x2x3x4xf32> -> tensor<1x3x2x4xf32>
    %oc = hpt.reshape %ot : tensor<1x3x2x4xf32> -> tensor<1x3x8xf32>
    %a  = hpt.linear %oc, %wo, %bo : ... -> tensor<1x3x8xf32>
    ```
    The expansion does the same FLOPs as the fused op (checked by the model
    statistics in the tests).
  }];
  let dependentDialects = ["::hpt::HptDialect"];
}

def HptAutodiff : Pass<"hpt-autodiff", "::mlir::ModuleOp"> {
  let summary = "Build a training step: forward, reverse-mode backward, optimizer update";
  let description = [{
    Clones the forward function (result 0: a loss at the root of the graph)
    into `@train_step`, expands `hpt.self_attention` there, and appends the
    backward pass — each op's own `AutodiffOpInterface` turns result
    gradients into operand gradients, gradients of a value used twice are
    added — and one optimizer update per trained parameter that receives a
    gradient. The trained parameters are the function's `hpt.trainable` list
    when it has one (`hpt-lora` sets it on the LoRA program), else every
    `hpt.param` declared `trainable`. Only values that depend on a trained
    parameter get gradients (no dX for the first layer, no dW for a frozen
    weight). The step records its forward function as `hpt.train_step_of`;
    run the pass once per program (`function=forward_lora
    train-function=train_step_lora ...`) to give each phase its optimizer.

    ```mlir
    hpt.param @w : tensor<4x8xf32> init <uniform_fan_in, fan_in = 8> seed 1 trainable
    func.func @forward(%x: tensor<2x8xf32>, %t: tensor<2x4xf32>) -> (tensor<f32>, tensor<2x4xf32>) {
      %w = hpt.get_param @w : tensor<4x8xf32>
      %y = hpt.linear %x, %w : (tensor<2x8xf32>, tensor<4x8xf32>) -> tensor<2x4xf32>
      %l = hpt.mse_loss %y, %t : tensor<2x4xf32> -> tensor<f32>
      return %l, %y : tensor<f32>, tensor<2x4xf32>
    }
    ```
    with `--hpt-autodiff="optimizer=sgd lr=0.1"` gains
    ```mlir
    func.func @train_step(%x: tensor<2x8xf32>, %t: tensor<2x4xf32>) -> (tensor<f32>, tensor<2x4xf32>) {
      ...forward as above...
      %dy = hpt.mse_loss_grad %y, %t : tensor<2x4xf32>
      %dw = hpt.matmul %dy, %x transpose_lhs : (tensor<2x4xf32>, tensor<2x8xf32>) -> tensor<4x8xf32>
      %lr = hpt.constant_lr 1.000000e-01 : tensor<f32>
      hpt.sgd_update @w, %dw, %lr momentum 0.000000e+00 dampening 0.000000e+00 weight_decay 0.000000e+00 : tensor<4x8xf32>
      return %l, %y : tensor<f32>, tensor<2x4xf32>
    }
    ```
    Defaults follow PyTorch's optimizers, except `weight-decay`, which is 0
    for all three (PyTorch's AdamW defaults to 0.01: say so explicitly).
    The HpT Wind setting is `optimizer=adam lr=1e-6`; SWE and Weather use
    `optimizer=adamw lr=1e-4 weight-decay=1e-4 lr-schedule=step step-size=3
    gamma=0.6`.
  }];
  let dependentDialects = ["::hpt::HptDialect"];
  let options = [
    Option<"forwardName", "function", "std::string", /*default=*/"\"forward\"",
           "Forward function to differentiate (result 0 is the loss)">,
    Option<"trainName", "train-function", "std::string", /*default=*/"\"train_step\"",
           "Name of the training-step function to create">,
    Option<"optimizer", "optimizer", "std::string", /*default=*/"\"adamw\"",
           "sgd, adam or adamw">,
    Option<"lr", "lr", "double", /*default=*/"1e-3", "Learning rate">,
    Option<"momentum", "momentum", "double", /*default=*/"0.0", "SGD momentum">,
    Option<"dampening", "dampening", "double", /*default=*/"0.0", "SGD dampening">,
    Option<"nesterov", "nesterov", "bool", /*default=*/"false", "SGD Nesterov momentum">,
    Option<"beta1", "beta1", "double", /*default=*/"0.9", "Adam(W) beta1">,
    Option<"beta2", "beta2", "double", /*default=*/"0.999", "Adam(W) beta2">,
    Option<"eps", "eps", "double", /*default=*/"1e-8", "Adam(W) epsilon">,
    Option<"weightDecay", "weight-decay", "double", /*default=*/"0.0",
           "Weight decay (L2 for SGD and Adam, decoupled for AdamW)">,
    Option<"lrSchedule", "lr-schedule", "std::string", /*default=*/"\"constant\"",
           "constant or step (StepLR, stepped once per epoch)">,
    Option<"stepSize", "step-size", "int64_t", /*default=*/"1",
           "StepLR: epochs between decays">,
    Option<"gamma", "gamma", "double", /*default=*/"0.1", "StepLR: decay factor">,
  ];
}

def HptLora : Pass<"hpt-lora", "::mlir::ModuleOp"> {
  let summary = "Add a LoRA program beside the full one: frozen bases plus low-rank adapters";
  let description = [{
    Clones the forward function into `@<function>_lora` (one per rank with
    `rank=auto`: `@<function>_lora_r2`, `_r4`, ...), expands attention there,
    and gives every linear layer whose weight matches a `targets` glob a
    low-rank adapter (Hu et al., LoRA, 2021; HpT's setting):
    `y = x·Wᵀ + b + (alpha/rank)·B·A·dropout(x)`, with A (rank×in) ~
    U(±1/√in) and B (out×rank) = 0 as new `hpt.param`s named
    `lora.<target>.a` / `.b` (`lora.r<rank>.<target>.a` with `rank=auto`).
    In the new function only the adapters and the parameter groups named by
    `trainable` are trained (its `hpt.trainable` list); everything else is
    frozen there, while the full function still trains every parameter. Both
    programs read the same base weights, so at the switch the LoRA program
    starts from the full program's current values.

    ```mlir
    %w = hpt.get_param @enc.0.attn.wq : tensor<512x512xf32>
    %b = hpt.get_param @enc.0.attn.bq : tensor<512xf32>
    %q = hpt.linear %x, %w, %b : (tensor<1x57x512xf32>, tensor<512x512xf32>, tensor<512xf32>) -> tensor<1x57x512xf32>
    ```
    becomes, in `@forward_lora` (`hpt.lora = #hpt.lora<rank = 8, alpha = 64.0, dropout = 0.1>`,
    `hpt.lora_base = @forward`, `hpt.trainable = [...]`, `hpt.adapters = [[@enc.0.attn.wq, @lora.enc.0.attn.wq.a, @lora.enc.0.attn.wq.b], ...]`),
    ```mlir
    %q  = hpt.linear %x, %w, %b : ... -> tensor<1x57x512xf32>
    %xd = hpt.dropout %x p 1.000000e-01 seed 300 : tensor<1x57x512xf32>
    %a  = hpt.get_param @lora.enc.0.attn.wq.a : tensor<8x512xf32>
    %u  = hpt.linear %xd, %a : (tensor<1x57x512xf32>, tensor<8x512xf32>) -> tensor<1x57x8xf32>
    %bb = hpt.get_param @lora.enc.0.attn.wq.b : tensor<512x8xf32>
    %v  = hpt.linear %u, %bb : (tensor<1x57x8xf32>, tensor<512x8xf32>) -> tensor<1x57x512xf32>
    %s  = hpt.scale %v by 8.000000e+00 : tensor<1x57x512xf32>
    %q2 = hpt.add %q, %s : tensor<1x57x512xf32>
    ```
    Defaults are HpT's: rank 8, alpha 64, dropout 0.1, the Q and V
    projections of every encoder layer, and the embedding, reduction and
    decoder MLPs trained in full. Run `hpt-autodiff` once per function
    afterwards to get a training step (and an optimizer) for each phase.
  }];
  let dependentDialects = ["::hpt::HptDialect"];
  let options = [
    Option<"function", "function", "std::string", /*default=*/"\"forward\"",
           "The full program's forward function">,
    Option<"rank", "rank", "std::string", /*default=*/"\"8\"",
           "Adapter rank: a positive integer, or auto (one program per auto-ranks "
           "entry; hpt-run picks one from the intrinsic dimension at the switch)">,
    ListOption<"autoRanks", "auto-ranks", "int64_t",
               "Ranks compiled for rank=auto (default 2,4,8,16,32)">,
    Option<"alpha", "alpha", "double", /*default=*/"64.0",
           "Adapter scale numerator (the update is scaled by alpha/rank)">,
    Option<"dropout", "dropout", "double", /*default=*/"0.1",
           "Dropout on the adapter input, in [0, 1)">,
    ListOption<"targets", "targets", "std::string",
               "Globs over weight names of linear layers that get adapters "
               "(default enc.*.attn.wq,enc.*.attn.wv)">,
    ListOption<"trainable", "trainable", "std::string",
               "Parameter groups (name prefix before the first '.') trained in full "
               "in the LoRA program (default embed,reduce,decode)">,
  ];
}

// The devices a placement option can name (hpt::DeviceKind).
defvar HptDeviceChoices = [{::llvm::cl::values(
    clEnumValN(::hpt::DeviceKind::host, "host", "the host CPU"),
    clEnumValN(::hpt::DeviceKind::gpu, "gpu", "a GPU"),
    clEnumValN(::hpt::DeviceKind::reram, "reram", "ReRAM crossbars (frozen-weight products only)"),
    clEnumValN(::hpt::DeviceKind::systolic, "systolic", "a systolic array"))}];

def HptPlace : Pass<"hpt-place", "::mlir::ModuleOp"> {
  let summary = "Place every hpt op on a device by the kind of work it does";
  let description = [{
    Sets `hpt.device = #hpt.device<kind>` on every hpt op of every function,
    by class: matrix products (`linear`, `matmul`, `batch_matmul`), vector
    work (normalisation, softmax, activations, dropout, elementwise ops, the
    loss and their gradients, `reduce_rows`), optimizer updates, and the rest
    (parameter reads, reshapes, transposes, concat, slice, learning rates,
    fused attention). A placement an earlier pass made is replaced. The
    cost-driven partitioner (a later pass) writes the same attribute.

    ```mlir
    %y = hpt.linear %x, %w, %b : (...) -> tensor<57x512xf32>
    %z = hpt.relu %y : tensor<57x512xf32>
    ```
    with `--hpt-place="gemm=systolic vector=systolic"` becomes
    ```mlir
    %y = hpt.linear %x, %w, %b {hpt.device = #hpt.device<systolic>} : (...) -> tensor<57x512xf32>
    %z = hpt.relu %y {hpt.device = #hpt.device<systolic>} : tensor<57x512xf32>
    ```
    ReRAM crossbars hold weights written once, so only a product whose
    weight (operand 1) is a parameter the function does not train can go
    there; any non-product class is refused on `reram` naming the option.
    The systolic array runs matrix products, softmax and its gradient over the
    last axis, layer norm, and the elementwise relu, exact gelu, scale, add and
    the relu and gelu gradients (the ops `hpt-systolic-tile` plans). An op its class's device
    cannot run is an error at the op (`unsupported=error`), or stays on the
    host (`unsupported=host`), so that "every op the array runs on the array"
    is `gemm=systolic vector=systolic unsupported=host`.

    With `hw=FILE`, every device an option names must exist in that hardware
    description (the Atleus-like default has host and systolic cores, no GPU
    yet). Placements carry no instance index: the runtime schedules an op on
    any free instance of its kind (a pinned index is checked when the bundle
    is loaded).
  }];
  let options = [
    Option<"gemm", "gemm", "::hpt::DeviceKind", /*default=*/"::hpt::DeviceKind::host",
           "Device of the matrix products", HptDeviceChoices>,
    Option<"vector", "vector", "::hpt::DeviceKind", /*default=*/"::hpt::DeviceKind::host",
           "Device of the vector work", HptDeviceChoices>,
    Option<"optimizer", "optimizer", "::hpt::DeviceKind",
           /*default=*/"::hpt::DeviceKind::host", "Device of the optimizer updates",
           HptDeviceChoices>,
    Option<"other", "other", "::hpt::DeviceKind", /*default=*/"::hpt::DeviceKind::host",
           "Device of everything else", HptDeviceChoices>,
    Option<"hw", "hw", "std::string", /*default=*/"\"\"",
           "Hardware description (JSON) the placement must fit">,
    Option<"unsupported", "unsupported", "::hpt::UnsupportedPlacement",
           /*default=*/"::hpt::UnsupportedPlacement::error",
           "What happens to an op its class's device cannot run", [{::llvm::cl::values(
             clEnumValN(::hpt::UnsupportedPlacement::error, "error", "an error at the op"),
             clEnumValN(::hpt::UnsupportedPlacement::host, "host", "it stays on the host"))}]>,
  ];
}

def HptPartition : Pass<"hpt-partition", "::mlir::ModuleOp"> {
  let summary = "Place a training function's ops on devices by HpT's mapping or by cost";
  let description = [{
    Sets `hpt.device` on every hpt op of the function `function` names,
    from the cost model of the hardware description `hw` (hardware/Cost.h:
    the devices' own charging, so the pass and the simulators agree) and the
    accounting model that schedules one step (hardware/Accounting.h:
    makespan, transfers over the links, static power).

    - `policy=hpt` is HpT's mapping (Dahal et al., TPDS 2025): a function
      with no frozen weight (the full-parameter program) runs on the GPU; in
      a LoRA program the products of frozen weights (Q, K, V, O, FFN, forward
      and Wᵀ·δ) go to ReRAM, everything else the systolic array runs goes
      there, and the rest (the loss, reductions, reshapes) stays on the host.
    - `policy=cost` searches placements for the least `objective` (latency:
      the step's makespan; energy; edp: their product), starting from HpT's
      mapping so that it is never worse: every placement when the ops'
      candidates allow at most 2^20 of them, else the better of HpT's mapping
      and a greedy list schedule (each op, in program order, on the device
      that best serves the objective given the ops before it).

    - `policy=noise-aware` decides which frozen weights go to ReRAM from a
      measurement of their noise (`sensitivity=FILE`, written by `hpt-run
      --sensitivity`: per weight, how far its crossbars alone move the mean
      held-out loss). Starting from HpT's mapping, it ranks the weights by the
      step's energy they save on ReRAM per unit of sensitivity and keeps them
      there, best first, while the sum of their sensitivities stays within
      `loss-budget` times the measured all-digital loss; the others' products
      go where the systolic arrays (else the host) run them. A weight that
      saves no energy is not put on ReRAM. The file must measure this
      model's weights: every ReRAM candidate of the function, with the shape
      the module declares.

    Constraints: an op that carries `hpt.device` when the pass runs keeps it;
    a weight the function trains never goes to ReRAM unless the user pins its
    product there (it is then written every step, and the step is charged
    that); an op goes only where its device can run it. The result is
    deterministic. With `steps=N`, each frozen ReRAM weight's programming is
    charged to the step as 1/N of it (N: the LoRA phase's steps); by default
    it is not (Atleus's convention, weights already mapped), and the report
    lists it either way.

    ```mlir
    %y = hpt.linear %x, %w0 : (tensor<57x512xf32>, tensor<512x512xf32>) -> tensor<57x512xf32>
    ```
    with `--hpt-partition="function=train_step_lora hw=configs/atleus-like.json"`,
    where @w0 is frozen, becomes
    ```mlir
    %y = hpt.linear %x, %w0 {hpt.device = #hpt.device<reram>} : ...
    ```
    The program's evaluation function (the forward function the step was
    built from, `hpt.train_step_of`) reads the weights this placement puts
    in crossbars from them as well: its products of those weights are placed
    on ReRAM too, unless already placed.
    `report=FILE` writes every op's shape, candidates and their costs, the
    transfers, the choice and the reason as JSON; `table=FILE` the same as a
    table a person reads.
  }];
  let options = [
    Option<"hw", "hw", "std::string", /*default=*/"\"\"",
           "Hardware description (JSON) whose devices and costs are used">,
    Option<"function", "function", "std::string", /*default=*/"\"\"",
           "The function to place (the full-parameter or the LoRA training step)">,
    Option<"policy", "policy", "::hpt::PartitionPolicy",
           /*default=*/"::hpt::PartitionPolicy::hpt", "How devices are chosen",
           [{::llvm::cl::values(
             clEnumValN(::hpt::PartitionPolicy::hpt, "hpt", "HpT's mapping"),
             clEnumValN(::hpt::PartitionPolicy::cost, "cost",
                        "a search for the least objective, never worse than hpt"),
             clEnumValN(::hpt::PartitionPolicy::noise_aware, "noise-aware",
                        "HpT's mapping with only the frozen weights that fit the loss budget on ReRAM"))}]>,
    Option<"objective", "objective", "::hpt::PartitionObjective",
           /*default=*/"::hpt::PartitionObjective::latency", "What the search minimises",
           [{::llvm::cl::values(
             clEnumValN(::hpt::PartitionObjective::latency, "latency", "the step's makespan"),
             clEnumValN(::hpt::PartitionObjective::energy, "energy", "the step's energy"),
             clEnumValN(::hpt::PartitionObjective::edp, "edp",
                        "energy times makespan"))}]>,
    Option<"steps", "steps", "int64_t", /*default=*/"0",
           "Steps over which a ReRAM weight's one-time programming is amortised (0: not charged to the step, as Atleus counts)">,
    Option<"sensitivity", "sensitivity", "std::string", /*default=*/"\"\"",
           "policy=noise-aware: the weights' noise sensitivity (JSON from hpt-run --sensitivity)">,
    Option<"lossBudget", "loss-budget", "double", /*default=*/"0.01",
           "policy=noise-aware: the held-out loss increase allowed, as a fraction of its all-digital value">,
    Option<"report", "report", "std::string", /*default=*/"\"\"",
           "Write the partition report (JSON) here">,
    Option<"table", "table", "std::string", /*default=*/"\"\"",
           "Write the partition report as a table here">,
  ];
}

def HptSystolicTile : Pass<"hpt-systolic-tile", "::mlir::ModuleOp"> {
  let summary = "Choose the systolic array for each GEMM and check that its folds fit";
  let description = [{
    Marks every `hpt.matmul`, `hpt.batch_matmul`, `hpt.linear`, `hpt.softmax`
    (last axis) and `hpt.layer_norm` with the array it will run on
    (`#sa.array<dataflow, rows x cols, sram = [ifmap, filter, ofmap words]>`)
    after planning its folds (SCALE-Sim's operand view: os maps M x N and
    streams K, ws maps K x N and streams M, is maps K x M and streams N; the
    streamed operand is cut into chunks that fit half of each SRAM). A GEMM
    whose stationary tile cannot fit half of its SRAM is an error at the op.

    ```mlir
    %y = hpt.matmul %a, %b : (tensor<16x32xf32>, tensor<32x8xf32>) -> tensor<16x8xf32>
    ```
    with `--hpt-systolic-tile="rows=8 cols=8 dataflow=ws ifmap-kb=64 filter-kb=64 ofmap-kb=64"` becomes
    ```mlir
    %y = hpt.matmul %a, %b {sa.array = #sa.array<ws, 8 x 8, sram = [65536, 65536, 65536]>, sa.folds = 4 : i64} : ...
    ```
    (SCALE-Sim's convention: one SRAM word per byte, so n kB hold n·1024 elements.)

    With `hw=FILE` the array is the systolic section of that hardware
    description (`configs/atleus-like.json`, or a SCALE-Sim `.cfg` imported
    with `hpt-hw import-scalesim`); options given beside it override its
    values. Without it, the defaults below apply.
  }];
  let dependentDialects = ["::hpt::sa::SaDialect"];
  let options = [
    Option<"hw", "hw", "std::string", /*default=*/"\"\"",
           "Hardware description (JSON) whose systolic section gives the array; "
           "the options below override it">,
    Option<"rows", "rows", "int64_t", /*default=*/"32", "Rows of MACs">,
    Option<"cols", "cols", "int64_t", /*default=*/"32", "Columns of MACs">,
    Option<"dataflow", "dataflow", "::hpt::sa::Dataflow", /*default=*/"::hpt::sa::Dataflow::ws",
           "Dataflow of the array", [{::llvm::cl::values(
             clEnumValN(::hpt::sa::Dataflow::os, "os", "output stationary"),
             clEnumValN(::hpt::sa::Dataflow::ws, "ws", "weight stationary"),
             clEnumValN(::hpt::sa::Dataflow::is, "is", "input stationary"))}]>,
    Option<"ifmapKb", "ifmap-kb", "int64_t", /*default=*/"64", "ifmap SRAM (kB)">,
    Option<"filterKb", "filter-kb", "int64_t", /*default=*/"64", "filter SRAM (kB)">,
    Option<"ofmapKb", "ofmap-kb", "int64_t", /*default=*/"64", "ofmap SRAM (kB)">,
  ];
}

def ConvertHptToSa : Pass<"convert-hpt-to-sa", "::mlir::ModuleOp"> {
  let summary = "Lower tiled GEMMs and vector work to systolic-array instruction streams";
  let description = [{
    For every op that `hpt-systolic-tile` marked, emits the instruction stream
    of its GEMM as an `sa.stream` (the same planner that hpt-sim-systolic
    uses, so the simulator runs what the compiler plans) and points the op at
    it with `sa.stream = @name`:

    ```mlir
    sa.stream @f_0 {
      sa.config dataflow ws array 8 x 8 sram ifmap 65536 filter 65536 ofmap 65536 dram ifmap 512 filter 256 ofmap 128 element f32
      sa.mvin filter dram 0 sram 0 tile 8 x 8 stride 8
      sa.preload filter sram 0 rows 8 cols 8
      sa.mvin ifmap dram 0 sram 0 tile 16 x 8 stride 32
      sa.compute streamed 16 rows 8 cols 8 operands 0, 0 result 0 first last
      sa.mvout dram 0 sram 0 tile 16 x 8 stride 8
      ...
    }
    ```
    Operands are laid out row-major in each stream's DRAM regions as the GEMM
    reads them (op(A) as M x K, op(B) as K x N); a linear layer's bias follows
    its result in the ofmap region, and a vector pass (`add_row`) adds it to
    every row after the folds.
  }];
  let dependentDialects = ["::hpt::sa::SaDialect"];
}

def HptCrossbarTile : Pass<"hpt-crossbar-tile", "::mlir::ModuleOp"> {
  let summary = "Cut every ReRAM-placed frozen weight into bit-sliced crossbar blocks";
  let description = [{
    Every product placed on `reram` (`hpt-place gemm=reram`) reads a frozen
    parameter. The first such read of a parameter fixes the matrix the
    crossbars store, S[K×N] with that product computing x·S (`hpt.linear`
    stores Wᵀ; `hpt.matmul` its right operand as it reads it); any other
    read computes x·S (forward) or x·Sᵀ (transposed, as the input gradient
    of a linear layer does). Each stored matrix is quantised to `weight-bits`
    and cut, by hpt's model (hardware/pim/Tiling.h), into crossbar blocks
    with physical bit slicing (`cell-bits` per cell, on ± pairs when
    `differential`); blocks go to PEs (`groups` slices each) and PEs to tiles,
    a weight starting a tile, tiles filling chips in order. The result is a
    `pim.crossbars` op per parameter (`@xbar_<parameter>`) and, on every product,
    `pim.crossbars = @name` and `pim.read = "forward"` or `"transposed"`:

    ```mlir
    %y = hpt.linear %x, %w : (tensor<16x300xf32>, tensor<200x300xf32>) -> tensor<16x200xf32>
    ```
    with `--hpt-crossbar-tile="hw=configs/atleus-like.json"` becomes
    ```mlir
    pim.crossbars @xbar_frozen param @frozen transposed weight 300 x 200 bits 8 cell 2 differential in 128 x 128
        groups 1 pes_per_tile 48 input 8 dac 1 adc 8 adcs 16 blocks 3 x 2 slices 4
        crossbars 48 pes 24 tiles 0 + 1 utilisation 6.103516e-01
    %y = hpt.linear %x, %w {pim.crossbars = @xbar_frozen, pim.read = "forward", ...} : ...
    ```
    With `hw=FILE` the geometry is that description's ReRAM section; the
    options below override it. A network whose weights need more tiles than
    the chips have is an error at the product that does not fit. `report`
    writes the utilisation table (weight, shape, blocks, slices, crossbars,
    PEs, tiles, utilisation) to a file.
  }];
  let dependentDialects = ["::hpt::pim::PimDialect"];
  let options = [
    Option<"hw", "hw", "std::string", /*default=*/"\"\"",
           "Hardware description (JSON) whose ReRAM section gives the geometry; the "
           "options below override it">,
    Option<"rows", "rows", "int64_t", /*default=*/"128", "Rows of a crossbar">,
    Option<"cols", "cols", "int64_t", /*default=*/"128", "Columns of a crossbar">,
    Option<"cellBits", "cell-bits", "int64_t", /*default=*/"2", "Bits per cell">,
    Option<"weightBits", "weight-bits", "int64_t", /*default=*/"8",
           "Bits of a quantised weight, sign included">,
    Option<"inputBits", "input-bits", "int64_t", /*default=*/"8",
           "Bits of a quantised input or error, sign included">,
    Option<"dacBits", "dac-bits", "int64_t", /*default=*/"1", "DAC bits per input cycle">,
    Option<"adcBits", "adc-bits", "int64_t", /*default=*/"8", "ADC bits">,
    Option<"adcs", "adcs", "int64_t", /*default=*/"16", "ADCs per crossbar (shared by columns)">,
    Option<"differential", "differential", "bool", /*default=*/"true",
           "± crossbar pairs (else offset-binary weights in one crossbar)">,
    Option<"groups", "groups", "int64_t", /*default=*/"1", "Slices side by side in a PE">,
    Option<"pesPerTile", "pes-per-tile", "int64_t", /*default=*/"48", "PEs per tile">,
    Option<"tiles", "tiles", "int64_t", /*default=*/"256", "Tiles per chip">,
    Option<"chips", "chips", "int64_t", /*default=*/"1", "Chips">,
    Option<"report", "report", "std::string", /*default=*/"\"\"",
           "Write the utilisation table to this file">,
  ];
}

def ConvertHptToPim : Pass<"convert-hpt-to-pim", "::mlir::ModuleOp"> {
  let summary = "Lower the crossbar reads of tiled frozen weights to pim kernels";
  let description = [{
    For every product `hpt-crossbar-tile` marked, emits a `pim.kernel` of its
    crossbar work on the op's operands and points the op at it with
    `pim.kernel = @name`: the input (or error) quantised per row, one
    bit-serial `pim.mvm` through the weight's crossbars (forward, or
    transposed for x·Sᵀ), and `pim.shift_add` of the partial sums. Every
    `pim.crossbars` gets a `@program_<name>` kernel that writes the
    parameter into its cells once. Reads and writes carry the hardware
    model's costs.

    ```mlir
    pim.kernel @forward_pim_0 {
    ^bb0(%x: tensor<16x300xf32>):
      %q, %s = pim.quantize %x bits 8 : tensor<16x300xf32> -> tensor<16x300xi32>, tensor<16xf32>
      %p = pim.mvm @xbar_frozen, %q {conversions = 8192 : i64, ...} : tensor<16x300xi32> -> tensor<3x4x16x200xi32>
      %y = pim.shift_add @xbar_frozen, %p, %s : tensor<3x4x16x200xi32>, tensor<16xf32> -> tensor<16x200xf32>
      pim.yield %y : tensor<16x200xf32>
    }
    ```
    A product with a bias adds it after the kernel, on the op's device; a
    product whose left operand is transposed is refused (a crossbar reads
    vectors as rows).
  }];
  let dependentDialects = ["::hpt::pim::PimDialect"];
}

def ConvertHptToGpu : Pass<"convert-hpt-to-gpu", "::mlir::ModuleOp"> {
  let summary = "Give every op placed on the GPU its cuBLAS call or a generated linalg kernel";
  let description = [{
    For every op `hpt-partition` (or `hpt-place`) put on the `gpu`:
    products (`hpt.linear`, `hpt.matmul`, `hpt.batch_matmul`) get
    `hpt.gpu_library = "cublas"`; every other op with GPU work, and a linear
    layer's bias, gets a kernel: a `func.func` on tensors in
    destination-passing style, built from linalg ops, in the nested module
    `@hpt_gpu`, named on the op by `hpt.gpu_kernel`. Ops of the same kind,
    attributes and types share one kernel. Aliases (`hpt.get_param`,
    `hpt.reshape`) and learning rates need none.

    ```mlir
    %y = hpt.relu %x {hpt.device = #hpt.device<gpu>, hpt.gpu_kernel = @hpt_gpu::@relu_0} : tensor<8x64xf32>
    ...
    module @hpt_gpu {
      func.func @relu_0(%x: tensor<8x64xf32>, %out: tensor<8x64xf32>) -> tensor<8x64xf32>
          attributes {hpt.gpu_args = ["operand:0", "result:0"]} {
        %0 = linalg.generic {...} ins(%x : tensor<8x64xf32>) outs(%out : tensor<8x64xf32>) {...}
        return %0 : tensor<8x64xf32>
      }
    }
    ```
    Each kernel computes its op as the host runtime's kernel does (the
    same formulas; double sums where the host sums in double; dropout from
    the same Philox stream). `hpt.gpu_args` says what each argument binds to:
    an operand or result, an update's parameter and moments (in place),
    workspaces for row statistics, and scalars the runtime computes per
    call (dropout's step, the optimizer's coefficients). An op placed on the
    GPU that cannot run there (`hpt.self_attention`: decompose it first) or
    whose tensors are not static f32 is an error.
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect", "::mlir::func::FuncDialect",
                           "::mlir::linalg::LinalgDialect", "::mlir::math::MathDialect",
                           "::mlir::tensor::TensorDialect"];
}

def HptPrintModelStats : Pass<"hpt-print-model-stats", "::mlir::ModuleOp"> {
  let summary = "Print parameter counts and the FLOPs of one function call";
  let description = [{
    Counts the elements of every `hpt.param` (all, trainable, frozen, and per
    group: the part of the symbol name before its first `.`), and the FLOPs of
    one evaluation of the forward function, from each op's
    `FlopCountOpInterface`. The IR is left unchanged.

    ```
    $ hpt-opt models/wind/wind.mlir --hpt-print-model-stats -o /dev/null
    model @forward: 27,383,545 parameters (27,383,545 trainable, 0 frozen) in 206 tensors
    ...
    ```
  }];
  let options = [
    Option<"function", "function", "std::string", /*default=*/"\"forward\"",
           "Name of the function whose FLOPs are counted">,
    Option<"format", "format", "std::string", /*default=*/"\"text\"",
           "Output format: text or json">,
  ];
}

#endif // HPT_TRANSFORMS_PASSES_TD
