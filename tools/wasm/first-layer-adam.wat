;; Adam's update of one member's first-layer weights in one pass (first-layer-update.ts): for each of
;; the n floats at byte offsets w, u, q, g (n a multiple of 4),
;;   u ← β₁u + g,  q ← β₂q + g²,  w ← w − a·u / (√q + e)
;; which is torch.optim.Adam's step on the scaled moments u = m/(1 − β₁), q = v/(1 − β₂) of
;; state.ts, with the bias corrections folded into a and e by the training graph.
(module
  (import "env" "memory" (memory 1))
  (func (export "adam")
    (param $w i32) (param $u i32) (param $q i32) (param $g i32) (param $n i32)
    (param $a f32) (param $e f32) (param $beta1 f32) (param $beta2 f32)
    (local $i i32) (local $end i32) (local $gv v128) (local $uv v128) (local $qv v128)
    (local $b1 v128) (local $b2 v128) (local $va v128) (local $ve v128)
    (local.set $b1 (f32x4.splat (local.get $beta1)))
    (local.set $b2 (f32x4.splat (local.get $beta2)))
    (local.set $va (f32x4.splat (local.get $a)))
    (local.set $ve (f32x4.splat (local.get $e)))
    (local.set $end (i32.shl (local.get $n) (i32.const 2)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
        (local.set $gv (v128.load (i32.add (local.get $g) (local.get $i))))
        (local.set $uv
          (f32x4.add (f32x4.mul (local.get $b1) (v128.load (i32.add (local.get $u) (local.get $i)))) (local.get $gv)))
        (local.set $qv
          (f32x4.add (f32x4.mul (local.get $b2) (v128.load (i32.add (local.get $q) (local.get $i))))
            (f32x4.mul (local.get $gv) (local.get $gv))))
        (v128.store (i32.add (local.get $u) (local.get $i)) (local.get $uv))
        (v128.store (i32.add (local.get $q) (local.get $i)) (local.get $qv))
        (v128.store (i32.add (local.get $w) (local.get $i))
          (f32x4.sub (v128.load (i32.add (local.get $w) (local.get $i)))
            (f32x4.div (f32x4.mul (local.get $va) (local.get $uv))
              (f32x4.add (f32x4.sqrt (local.get $qv)) (local.get $ve)))))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $next))))
)
