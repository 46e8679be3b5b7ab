;; Adam's update of one member's first-layer weights in one pass (first-layer-update.ts): for each of
;; the n floats at byte offsets w, u, q, g (n a multiple of 4),
;;   u ← β₁u + g,  q ← β₂q + g²,  w ← w − (u / (√q + e))·a
;; which is torch.optim.Adam's step on the scaled moments u = m/(1 − β₁), q = v/(1 − β₂) of
;; state.ts, with the bias corrections folded into a and e by the training graph.
;;
;; Subnormal floats are flushed to zero (the gradient as it is read, both moments as they are stored).
;; WebAssembly has no flush-to-zero mode, and x86 takes a microcode assist for every subnormal operand:
;; a moment whose gradient stays zero (a unit the ReLU never passes) decays through the subnormal range
;; over ~150 steps, and a pass over such moments measured many times slower (docs/benchmarks.md, "The
;; first layer's update outside the graph"). A subnormal moment moves a weight
;; by less than 10⁻³⁵, so flushing changes nothing torch would show. The step divides before it
;; multiplies by a (≤ lr), so that a tiny u does not make a subnormal on the way.
(module
  (import "env" "memory" (memory 1))
  (func (export "adam")
    (param $w i32) (param $u i32) (param $q i32) (param $g i32) (param $n i32)
    (param $a f32) (param $e f32) (param $beta1 f32) (param $beta2 f32)
    (local $i i32) (local $end i32) (local $gv v128) (local $uv v128) (local $qv v128)
    (local $b1 v128) (local $b2 v128) (local $va v128) (local $ve v128) (local $min v128)
    ;; the smallest normal float (as bits): below it, a value is flushed
    (local.set $min (v128.const i32x4 0x00800000 0x00800000 0x00800000 0x00800000))
    (local.set $b1 (f32x4.splat (local.get $beta1)))
    (local.set $b2 (f32x4.splat (local.get $beta2)))
    (local.set $va (f32x4.splat (local.get $a)))
    (local.set $ve (f32x4.splat (local.get $e)))
    (local.set $end (i32.shl (local.get $n) (i32.const 2)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
        (local.set $gv (v128.load (i32.add (local.get $g) (local.get $i))))
        (local.set $gv (v128.and (local.get $gv) (f32x4.ge (f32x4.abs (local.get $gv)) (local.get $min))))
        (local.set $uv
          (f32x4.add (f32x4.mul (local.get $b1) (v128.load (i32.add (local.get $u) (local.get $i)))) (local.get $gv)))
        (local.set $uv (v128.and (local.get $uv) (f32x4.ge (f32x4.abs (local.get $uv)) (local.get $min))))
        (local.set $qv
          (f32x4.add (f32x4.mul (local.get $b2) (v128.load (i32.add (local.get $q) (local.get $i))))
            (f32x4.mul (local.get $gv) (local.get $gv))))
        (local.set $qv (v128.and (local.get $qv) (f32x4.ge (f32x4.abs (local.get $qv)) (local.get $min))))
        (v128.store (i32.add (local.get $u) (local.get $i)) (local.get $uv))
        (v128.store (i32.add (local.get $q) (local.get $i)) (local.get $qv))
        (v128.store (i32.add (local.get $w) (local.get $i))
          (f32x4.sub (v128.load (i32.add (local.get $w) (local.get $i)))
            (f32x4.mul (f32x4.div (local.get $uv) (f32x4.add (f32x4.sqrt (local.get $qv)) (local.get $ve)))
              (local.get $va))))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $next))))
)
