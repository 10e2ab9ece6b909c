/* Calls the library that attnc builds from test/tools/attnc.mlir through
 * its generated header, from C: shape checks, a NULL shape for a static
 * input, and the output's shape and first row. */
#include "attn.h"

#include <stdio.h>

#define N (1 * 2 * 8 * 4)

int main(void) {
  float q[N], k[N], v[N];
  const int64_t shape[4] = {1, 2, 8, 4}, wrong[4] = {1, 2, 7, 4};
  attnc_tensor_in inputs[ATTNC_ATTENTION_NUM_INPUTS];
  attnc_tensor_out outputs[ATTNC_ATTENTION_NUM_OUTPUTS];
  const float *out;
  int i, h, status;
  for (i = 0; i < N; ++i) {
    q[i] = (float)((i * 7) % 11) / 11.0f - 0.5f;
    k[i] = (float)((i * 5) % 13) / 13.0f - 0.5f;
    v[i] = (float)((i * 3) % 17) / 17.0f - 0.5f;
  }
  inputs[0].data = q;
  inputs[0].shape = shape;
  inputs[1].data = k;
  inputs[1].shape = wrong;
  inputs[2].data = v;
  inputs[2].shape = NULL; /* static: the signature's shape */

  status = attnc_run_attention(inputs, outputs);
  if (status)
    printf("wrong shape: input %d\n", status - 1);
  inputs[1].shape = shape;
  if (attnc_run_attention(inputs, outputs))
    return 1;

  /* Causal: query 0 sees key 0 alone, so its output is value row 0. */
  out = (const float *)outputs[0].data;
  for (h = 0; h < 2; ++h)
    for (i = 0; i < 4; ++i)
      if (out[h * 32 + i] < v[h * 32 + i] - 1e-6f ||
          out[h * 32 + i] > v[h * 32 + i] + 1e-6f)
        return 2;
  printf("output: [%d, %d, %d, %d], row 0 = v row 0\n",
         (int)outputs[0].shape[0], (int)outputs[0].shape[1],
         (int)outputs[0].shape[2], (int)outputs[0].shape[3]);
  attnc_free(&outputs[0]);
  return outputs[0].allocation == NULL ? 0 : 3;
}
