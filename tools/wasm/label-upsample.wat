;; The labeler's upsampling of first-layer projections to the label grid, 4 channels per SIMD step.
;; Assembled by tools/wasm/build.mjs into src/compute/interpreter/label-upsample-wasm.ts; used by
;; src/compute/interpreter/upsample-kernel.ts.
;;
;; Data is channel-last: a "row" is r pixels of h floats each. Bilinear resampling (PyTorch
;; align_corners=False) is done separably: `blend` mixes the two source rows of one output row, then
;; `hacc` mixes two pixels of that blended row for every output pixel, for every group of maps, and adds
;; them to the bias. Each output pixel's arithmetic is the same whatever part of the grid is computed,
;; so a grid computed in tiles equals the grid computed at once, bit for bit.
;;
;; The memory is not shared: onnxruntime-node reads and writes only non-shared buffers, and the
;; labeler hands it views of this memory (no copies).
(module
  (import "env" "memory" (memory 1 65536))

  ;; dst[i] = w0·a[i] + w1·b[i] for i < n (n a multiple of 4), byte offsets.
  (func (export "blend")
    (param $dst i32) (param $a i32) (param $b i32) (param $n i32) (param $w0 f32) (param $w1 f32)
    (local $i i32) (local $end i32) (local $v0 v128) (local $v1 v128)
    (local.set $v0 (f32x4.splat (local.get $w0)))
    (local.set $v1 (f32x4.splat (local.get $w1)))
    (local.set $end (i32.shl (local.get $n) (i32.const 2)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
        (v128.store (i32.add (local.get $dst) (local.get $i))
          (f32x4.add
            (f32x4.mul (local.get $v0) (v128.load (i32.add (local.get $a) (local.get $i))))
            (f32x4.mul (local.get $v1) (v128.load (i32.add (local.get $b) (local.get $i))))))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $next))))

  ;; One output row of `len` pixels of h floats (h a multiple of 4):
  ;;   out[x] = bias + Σ_g (w0·V_g[j0] + w1·V_g[j1]), groups in table order.
  ;; groups: per group 8 bytes: i32 byte offset of its blended row V_g, i32 byte offset of its taps.
  ;; taps: per output pixel 16 bytes: i32 j0·h·4, i32 j1·h·4 (byte offsets into V_g), f32 w0, f32 w1.
  (func (export "hacc")
    (param $out i32) (param $bias i32) (param $h i32) (param $len i32) (param $groups i32) (param $g i32)
    (local $x i32) (local $k i32) (local $i i32) (local $bytes i32) (local $o i32) (local $src i32)
    (local $entry i32) (local $tap i32) (local $pa i32) (local $pb i32) (local $v0 v128) (local $v1 v128)
    (local.set $bytes (i32.shl (local.get $h) (i32.const 2)))
    (block $rowsDone
      (loop $nextX
        (br_if $rowsDone (i32.ge_u (local.get $x) (local.get $len)))
        (local.set $o (i32.add (local.get $out) (i32.mul (local.get $x) (local.get $bytes))))
        (local.set $src (local.get $bias))
        (local.set $k (i32.const 0))
        (block $groupsDone
          (loop $nextGroup
            (br_if $groupsDone (i32.ge_u (local.get $k) (local.get $g)))
            (local.set $entry (i32.add (local.get $groups) (i32.shl (local.get $k) (i32.const 3))))
            (local.set $tap (i32.add (i32.load offset=4 (local.get $entry)) (i32.shl (local.get $x) (i32.const 4))))
            (local.set $pa (i32.add (i32.load (local.get $entry)) (i32.load (local.get $tap))))
            (local.set $pb (i32.add (i32.load (local.get $entry)) (i32.load offset=4 (local.get $tap))))
            (local.set $v0 (f32x4.splat (f32.load offset=8 (local.get $tap))))
            (local.set $v1 (f32x4.splat (f32.load offset=12 (local.get $tap))))
            (local.set $i (i32.const 0))
            (block $chDone
              (loop $nextCh
                (br_if $chDone (i32.ge_u (local.get $i) (local.get $bytes)))
                (v128.store (i32.add (local.get $o) (local.get $i))
                  (f32x4.add
                    (f32x4.add
                      (v128.load (i32.add (local.get $src) (local.get $i)))
                      (f32x4.mul (local.get $v0) (v128.load (i32.add (local.get $pa) (local.get $i)))))
                    (f32x4.mul (local.get $v1) (v128.load (i32.add (local.get $pb) (local.get $i))))))
                (local.set $i (i32.add (local.get $i) (i32.const 16)))
                (br $nextCh)))
            (local.set $src (local.get $o))
            (local.set $k (i32.add (local.get $k) (i32.const 1)))
            (br $nextGroup)))
        (local.set $x (i32.add (local.get $x) (i32.const 1)))
        (br $nextX))))
)
