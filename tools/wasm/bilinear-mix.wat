;; Bilinear mix of four channel-last pixels, 4 channels per SIMD step (the hot loop of
;; src/main/interpreter/pixel-features.ts). Assembled by tools/wasm/build.mjs into
;; src/main/interpreter/bilinear-mix-wasm.ts; a test checks the two agree.
;;
;; out[i] = w00·a[i] + w01·b[i] + w10·c[i] + w11·d[i] for i < n (n a multiple of 4), all offsets in
;; bytes into the imported memory. mix32 reads float32; mix16 reads IEEE half floats and widens them
;; exactly: the 15 magnitude bits shifted into a float32's place, times 2^112, re-biases the exponent
;; (subnormal halves land on float32 normals); Inf/NaN halves keep an all-ones exponent; the sign is
;; OR-ed back.
(module
  (import "env" "memory" (memory 1))

  (func (export "mix32")
    (param $out i32) (param $a i32) (param $b i32) (param $c i32) (param $d i32) (param $n i32)
    (param $w00 f32) (param $w01 f32) (param $w10 f32) (param $w11 f32)
    (local $i i32) (local $end i32)
    (local $v00 v128) (local $v01 v128) (local $v10 v128) (local $v11 v128)
    (local.set $v00 (f32x4.splat (local.get $w00)))
    (local.set $v01 (f32x4.splat (local.get $w01)))
    (local.set $v10 (f32x4.splat (local.get $w10)))
    (local.set $v11 (f32x4.splat (local.get $w11)))
    (local.set $end (i32.shl (local.get $n) (i32.const 2)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
        (v128.store (i32.add (local.get $out) (local.get $i))
          (f32x4.add
            (f32x4.add
              (f32x4.mul (local.get $v00) (v128.load (i32.add (local.get $a) (local.get $i))))
              (f32x4.mul (local.get $v01) (v128.load (i32.add (local.get $b) (local.get $i)))))
            (f32x4.add
              (f32x4.mul (local.get $v10) (v128.load (i32.add (local.get $c) (local.get $i))))
              (f32x4.mul (local.get $v11) (v128.load (i32.add (local.get $d) (local.get $i)))))))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $next))))

  ;; Written out four times rather than called: V8 does not inline the call, which costs 2.5× here.
  (func (export "mix16")
    (param $out i32) (param $a i32) (param $b i32) (param $c i32) (param $d i32) (param $n i32)
    (param $w00 f32) (param $w01 f32) (param $w10 f32) (param $w11 f32)
    (local $i i32) (local $j i32) (local $end i32)
    (local $v00 v128) (local $v01 v128) (local $v10 v128) (local $v11 v128)
    (local $h v128) (local $mag v128) (local $sgn v128) (local $exp v128) (local $inf v128) (local $scale v128)
    (local.set $v00 (f32x4.splat (local.get $w00)))
    (local.set $v01 (f32x4.splat (local.get $w01)))
    (local.set $v10 (f32x4.splat (local.get $w10)))
    (local.set $v11 (f32x4.splat (local.get $w11)))
    (local.set $mag (i32x4.splat (i32.const 0x7fff)))
    (local.set $sgn (i32x4.splat (i32.const 0x8000)))
    (local.set $exp (i32x4.splat (i32.const 0x7c00)))
    (local.set $inf (i32x4.splat (i32.const 0x7f800000)))
    (local.set $scale (f32x4.splat (f32.const 0x1p112)))
    (local.set $end (i32.shl (local.get $n) (i32.const 1)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $j) (local.get $end)))
        (v128.store (i32.add (local.get $out) (local.get $i))
          (f32x4.add
            (f32x4.add
              (f32x4.mul (local.get $v00)
            (v128.or
              (v128.or
                (f32x4.mul
                  (i32x4.shl (v128.and (local.tee $h (v128.load16x4_u (i32.add (local.get $a) (local.get $j)))) (local.get $mag)) (i32.const 13))
                  (local.get $scale))
                (i32x4.shl (v128.and (local.get $h) (local.get $sgn)) (i32.const 16)))
              (v128.and (i32x4.eq (v128.and (local.get $h) (local.get $exp)) (local.get $exp)) (local.get $inf))))
              (f32x4.mul (local.get $v01)
            (v128.or
              (v128.or
                (f32x4.mul
                  (i32x4.shl (v128.and (local.tee $h (v128.load16x4_u (i32.add (local.get $b) (local.get $j)))) (local.get $mag)) (i32.const 13))
                  (local.get $scale))
                (i32x4.shl (v128.and (local.get $h) (local.get $sgn)) (i32.const 16)))
              (v128.and (i32x4.eq (v128.and (local.get $h) (local.get $exp)) (local.get $exp)) (local.get $inf)))))
            (f32x4.add
              (f32x4.mul (local.get $v10)
            (v128.or
              (v128.or
                (f32x4.mul
                  (i32x4.shl (v128.and (local.tee $h (v128.load16x4_u (i32.add (local.get $c) (local.get $j)))) (local.get $mag)) (i32.const 13))
                  (local.get $scale))
                (i32x4.shl (v128.and (local.get $h) (local.get $sgn)) (i32.const 16)))
              (v128.and (i32x4.eq (v128.and (local.get $h) (local.get $exp)) (local.get $exp)) (local.get $inf))))
              (f32x4.mul (local.get $v11)
            (v128.or
              (v128.or
                (f32x4.mul
                  (i32x4.shl (v128.and (local.tee $h (v128.load16x4_u (i32.add (local.get $d) (local.get $j)))) (local.get $mag)) (i32.const 13))
                  (local.get $scale))
                (i32x4.shl (v128.and (local.get $h) (local.get $sgn)) (i32.const 16)))
              (v128.and (i32x4.eq (v128.and (local.get $h) (local.get $exp)) (local.get $exp)) (local.get $inf)))))))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (local.set $j (i32.add (local.get $j) (i32.const 8)))
        (br $next)))))
