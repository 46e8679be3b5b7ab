;; Bilinear mix of four channel-last pixels, 4 channels per SIMD step (the hot loop of
;; src/main/interpreter/pixel-features.ts). Assembled by tools/wasm/build.mjs into
;; src/main/interpreter/bilinear-mix-wasm.ts; a test checks the two agree.
;;
;; out[i] = w00·a[i] + w01·b[i] + w10·c[i] + w11·d[i] for i < n (n a multiple of 4), all offsets in
;; bytes into the imported memory. mix32 reads float32; mix16 reads IEEE half floats and widens them
;; exactly: the 15 magnitude bits shifted into a float32's place, times 2^112, re-biases the exponent
;; (subnormal halves land on float32 normals); Inf/NaN halves keep an all-ones exponent; the sign is
;; OR-ed back.
;;
;; tcl32 / tcl16 turn a channel-first map into the store's channel-last layout (tcl16 rounding to
;; float16 exactly as src/compute/interpreter/float16.ts does).
;;
;; row16 / row32 gather one label pixel's whole feature vector (every map) in one call, from tables
;; the store keeps in memory:
;;   maps   per map 8 × i32: channels done here (a multiple of 4), resolution r, byte offset of the
;;          map's features in `out`, byte offset of its taps, channels of the map (the pixel
;;          stride), 3 unused;
;;   taps   per label coordinate 12 bytes: i32 i0, i32 i1, f32 λ (PyTorch align_corners=False);
;;   slots  per map i32: byte offset of this image's channel-last map, or −1 (not resident: the
;;          caller handles it).
(module
  ;; The memory is shared so that training workers (ensemble-workers.ts) read the same maps.
  (import "env" "memory" (memory 1 65536 shared))

  (func $mix32 (export "mix32")
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
  (func $mix16 (export "mix16")
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
        (br $next))))
  (func $row (param $half i32) (param $out i32) (param $slots i32) (param $maps i32) (param $n i32) (param $oy i32) (param $ox i32)
    (local $m i32) (local $info i32) (local $base i32) (local $c i32) (local $r i32) (local $ty i32) (local $tx i32)
    (local $bpv i32) (local $y0 i32) (local $y1 i32) (local $x0 i32) (local $x1 i32) (local $ly f32) (local $lx f32)
    (local $pix i32) (local $line i32)
    (local.set $bpv (select (i32.const 2) (i32.const 4) (local.get $half)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $m) (local.get $n)))
        (local.set $base (i32.load (i32.add (local.get $slots) (i32.shl (local.get $m) (i32.const 2)))))
        (if (i32.ge_s (local.get $base) (i32.const 0))
          (then
            (local.set $info (i32.add (local.get $maps) (i32.shl (local.get $m) (i32.const 5))))
            (local.set $c (i32.load (local.get $info)))
            (local.set $r (i32.load offset=4 (local.get $info)))
            (local.set $ty (i32.add (i32.load offset=12 (local.get $info)) (i32.mul (local.get $oy) (i32.const 12))))
            (local.set $tx (i32.add (i32.load offset=12 (local.get $info)) (i32.mul (local.get $ox) (i32.const 12))))
            (local.set $y0 (i32.load (local.get $ty)))
            (local.set $y1 (i32.load offset=4 (local.get $ty)))
            (local.set $ly (f32.load offset=8 (local.get $ty)))
            (local.set $x0 (i32.load (local.get $tx)))
            (local.set $x1 (i32.load offset=4 (local.get $tx)))
            (local.set $lx (f32.load offset=8 (local.get $tx)))
            (local.set $pix (i32.mul (i32.load offset=16 (local.get $info)) (local.get $bpv)))
            (local.set $line (i32.mul (local.get $r) (local.get $pix)))
            (if (local.get $half)
              (then
                (call $mix16
                  (i32.add (local.get $out) (i32.load offset=8 (local.get $info)))
                  (i32.add (i32.add (local.get $base) (i32.mul (local.get $y0) (local.get $line))) (i32.mul (local.get $x0) (local.get $pix)))
                  (i32.add (i32.add (local.get $base) (i32.mul (local.get $y0) (local.get $line))) (i32.mul (local.get $x1) (local.get $pix)))
                  (i32.add (i32.add (local.get $base) (i32.mul (local.get $y1) (local.get $line))) (i32.mul (local.get $x0) (local.get $pix)))
                  (i32.add (i32.add (local.get $base) (i32.mul (local.get $y1) (local.get $line))) (i32.mul (local.get $x1) (local.get $pix)))
                  (local.get $c)
                  (f32.mul (f32.sub (f32.const 1) (local.get $ly)) (f32.sub (f32.const 1) (local.get $lx)))
                  (f32.mul (f32.sub (f32.const 1) (local.get $ly)) (local.get $lx))
                  (f32.mul (local.get $ly) (f32.sub (f32.const 1) (local.get $lx)))
                  (f32.mul (local.get $ly) (local.get $lx))))
              (else
                (call $mix32
                  (i32.add (local.get $out) (i32.load offset=8 (local.get $info)))
                  (i32.add (i32.add (local.get $base) (i32.mul (local.get $y0) (local.get $line))) (i32.mul (local.get $x0) (local.get $pix)))
                  (i32.add (i32.add (local.get $base) (i32.mul (local.get $y0) (local.get $line))) (i32.mul (local.get $x1) (local.get $pix)))
                  (i32.add (i32.add (local.get $base) (i32.mul (local.get $y1) (local.get $line))) (i32.mul (local.get $x0) (local.get $pix)))
                  (i32.add (i32.add (local.get $base) (i32.mul (local.get $y1) (local.get $line))) (i32.mul (local.get $x1) (local.get $pix)))
                  (local.get $c)
                  (f32.mul (f32.sub (f32.const 1) (local.get $ly)) (f32.sub (f32.const 1) (local.get $lx)))
                  (f32.mul (f32.sub (f32.const 1) (local.get $ly)) (local.get $lx))
                  (f32.mul (local.get $ly) (f32.sub (f32.const 1) (local.get $lx)))
                  (f32.mul (local.get $ly) (local.get $lx)))))))
        (local.set $m (i32.add (local.get $m) (i32.const 1)))
        (br $next))))

  (func (export "row16") (param $out i32) (param $slots i32) (param $maps i32) (param $n i32) (param $oy i32) (param $ox i32)
    (call $row (i32.const 1) (local.get $out) (local.get $slots) (local.get $maps) (local.get $n) (local.get $oy) (local.get $ox)))
  (func (export "row32") (param $out i32) (param $slots i32) (param $maps i32) (param $n i32) (param $oy i32) (param $ox i32)
    (call $row (i32.const 0) (local.get $out) (local.get $slots) (local.get $maps) (local.get $n) (local.get $oy) (local.get $ox)))

  ;; Channel-first [c, n] float32 at `src` → channel-last [n, c] at `dst` (bytes; n a multiple of 4,
  ;; c a multiple of 4): 4 channels × 4 pixels at a time, transposed in registers.
  (func (export "tcl32") (param $dst i32) (param $src i32) (param $c i32) (param $n i32)
    (local $p i32) (local $ch i32) (local $row i32) (local $s i32) (local $d i32) (local $pixel i32)
    (local $a v128) (local $b v128) (local $x v128) (local $y v128) (local $t0 v128) (local $t1 v128) (local $t2 v128) (local $t3 v128)
    (local.set $row (i32.shl (local.get $n) (i32.const 2)))
    (local.set $pixel (i32.shl (local.get $c) (i32.const 2)))
    (block $pDone
      (loop $nextP
        (br_if $pDone (i32.ge_u (local.get $p) (local.get $n)))
        (local.set $ch (i32.const 0))
        (block $chDone
          (loop $nextCh
            (br_if $chDone (i32.ge_u (local.get $ch) (local.get $c)))
            (local.set $s (i32.add (local.get $src) (i32.shl (i32.add (i32.mul (local.get $ch) (local.get $n)) (local.get $p)) (i32.const 2))))
            (local.set $a (v128.load (local.get $s)))
            (local.set $b (v128.load (i32.add (local.get $s) (local.get $row))))
            (local.set $x (v128.load (i32.add (local.get $s) (i32.shl (local.get $row) (i32.const 1)))))
            (local.set $y (v128.load (i32.add (local.get $s) (i32.mul (local.get $row) (i32.const 3)))))
            (local.set $t0 (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $a) (local.get $b)))
            (local.set $t1 (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $a) (local.get $b)))
            (local.set $t2 (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $x) (local.get $y)))
            (local.set $t3 (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $x) (local.get $y)))
            (local.set $d (i32.add (local.get $dst) (i32.shl (i32.add (i32.mul (local.get $p) (local.get $c)) (local.get $ch)) (i32.const 2))))
            (v128.store (local.get $d) (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $t0) (local.get $t2)))
            (v128.store (i32.add (local.get $d) (local.get $pixel)) (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $t0) (local.get $t2)))
            (v128.store (i32.add (local.get $d) (i32.shl (local.get $pixel) (i32.const 1))) (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $t1) (local.get $t3)))
            (v128.store (i32.add (local.get $d) (i32.mul (local.get $pixel) (i32.const 3))) (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $t1) (local.get $t3)))
            (local.set $ch (i32.add (local.get $ch) (i32.const 4)))
            (br $nextCh)))
        (local.set $p (i32.add (local.get $p) (i32.const 4)))
        (br $nextP))))

  ;; Four float32 bit patterns → float16 bit patterns in the low halves of i32 lanes, rounded to
  ;; nearest even exactly as float16.ts's float32BitsToFloat16: normals by integer rounding, subnormals
  ;; by a float add of 0.5 (the sum's last bit is 2^-24, one half subnormal step), overflow to ±Inf,
  ;; NaN to a quiet NaN.
  (func $half4 (param $x v128) (result v128)
    (local $a v128) (local $norm v128) (local $sub v128) (local $big v128)
    (local.set $a (v128.and (local.get $x) (i32x4.splat (i32.const 0x7fffffff))))
    (local.set $norm (i32x4.shr_u
      (i32x4.sub
        (i32x4.add (i32x4.add (local.get $a) (i32x4.splat (i32.const 0xfff)))
          (v128.and (i32x4.shr_u (local.get $a) (i32.const 13)) (i32x4.splat (i32.const 1))))
        (i32x4.splat (i32.const 0x38000000)))
      (i32.const 13)))
    (local.set $sub (i32x4.sub (f32x4.add (local.get $a) (f32x4.splat (f32.const 0.5))) (i32x4.splat (i32.const 0x3f000000))))
    (local.set $big (v128.bitselect (i32x4.splat (i32.const 0x7e00)) (i32x4.splat (i32.const 0x7c00))
      (i32x4.gt_s (local.get $a) (i32x4.splat (i32.const 0x7f800000)))))
    (v128.or
      (v128.and (i32x4.shr_u (local.get $x) (i32.const 16)) (i32x4.splat (i32.const 0x8000)))
      (v128.bitselect (local.get $sub)
        (v128.bitselect (local.get $norm) (local.get $big) (i32x4.lt_s (local.get $a) (i32x4.splat (i32.const 0x47800000))))
        (i32x4.lt_s (local.get $a) (i32x4.splat (i32.const 0x38800000))))))

  ;; Channel-first [c, n] float32 at `src` → channel-last [n, c] float16 at `dst` (bytes; n a multiple
  ;; of 4, c a multiple of 8): 8 channels × 4 pixels at a time.
  (func (export "tcl16") (param $dst i32) (param $src i32) (param $c i32) (param $n i32)
    (local $p i32) (local $ch i32) (local $row i32) (local $s i32) (local $d i32) (local $pixel i32) (local $half i32)
    (local $a v128) (local $b v128) (local $x v128) (local $y v128)
    (local $t0 v128) (local $t1 v128) (local $t2 v128) (local $t3 v128)
    (local $u0 v128) (local $u1 v128) (local $u2 v128) (local $u3 v128)
    (local.set $row (i32.shl (local.get $n) (i32.const 2)))
    (local.set $pixel (i32.shl (local.get $c) (i32.const 1)))
    (block $pDone
      (loop $nextP
        (br_if $pDone (i32.ge_u (local.get $p) (local.get $n)))
        (local.set $ch (i32.const 0))
        (block $chDone
          (loop $nextCh
            (br_if $chDone (i32.ge_u (local.get $ch) (local.get $c)))
            (local.set $s (i32.add (local.get $src) (i32.shl (i32.add (i32.mul (local.get $ch) (local.get $n)) (local.get $p)) (i32.const 2))))
            ;; channels ch … ch+3 → per pixel (lanes = channels)
            (local.set $a (call $half4 (v128.load (local.get $s))))
            (local.set $b (call $half4 (v128.load (i32.add (local.get $s) (local.get $row)))))
            (local.set $x (call $half4 (v128.load (i32.add (local.get $s) (i32.shl (local.get $row) (i32.const 1))))))
            (local.set $y (call $half4 (v128.load (i32.add (local.get $s) (i32.mul (local.get $row) (i32.const 3))))))
            (local.set $t0 (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $a) (local.get $b)))
            (local.set $t1 (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $a) (local.get $b)))
            (local.set $t2 (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $x) (local.get $y)))
            (local.set $t3 (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $x) (local.get $y)))
            (local.set $u0 (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $t0) (local.get $t2)))
            (local.set $u1 (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $t0) (local.get $t2)))
            (local.set $u2 (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $t1) (local.get $t3)))
            (local.set $u3 (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $t1) (local.get $t3)))
            ;; channels ch+4 … ch+7
            (local.set $s (i32.add (local.get $s) (i32.shl (local.get $row) (i32.const 2))))
            (local.set $a (call $half4 (v128.load (local.get $s))))
            (local.set $b (call $half4 (v128.load (i32.add (local.get $s) (local.get $row)))))
            (local.set $x (call $half4 (v128.load (i32.add (local.get $s) (i32.shl (local.get $row) (i32.const 1))))))
            (local.set $y (call $half4 (v128.load (i32.add (local.get $s) (i32.mul (local.get $row) (i32.const 3))))))
            (local.set $t0 (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $a) (local.get $b)))
            (local.set $t1 (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $a) (local.get $b)))
            (local.set $t2 (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $x) (local.get $y)))
            (local.set $t3 (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $x) (local.get $y)))
            (local.set $d (i32.add (local.get $dst) (i32.shl (i32.add (i32.mul (local.get $p) (local.get $c)) (local.get $ch)) (i32.const 1))))
            (v128.store (local.get $d)
              (i16x8.narrow_i32x4_u (local.get $u0) (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $t0) (local.get $t2))))
            (v128.store (i32.add (local.get $d) (local.get $pixel))
              (i16x8.narrow_i32x4_u (local.get $u1) (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $t0) (local.get $t2))))
            (v128.store (i32.add (local.get $d) (i32.shl (local.get $pixel) (i32.const 1)))
              (i16x8.narrow_i32x4_u (local.get $u2) (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $t1) (local.get $t3))))
            (v128.store (i32.add (local.get $d) (i32.mul (local.get $pixel) (i32.const 3)))
              (i16x8.narrow_i32x4_u (local.get $u3) (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $t1) (local.get $t3))))
            (local.set $ch (i32.add (local.get $ch) (i32.const 8)))
            (br $nextCh)))
        (local.set $p (i32.add (local.get $p) (i32.const 4)))
        (br $nextP))))
)
