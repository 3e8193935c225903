import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, ApiError } from '../api/client.ts';
import type { Me, Session } from '../api/types.ts';

export const ME_KEY = ['auth', 'me'] as const;

/** Who is signed in: null when the session cookie is missing or has ended (401). */
export function useMe() {
  return useQuery({
    queryKey: ME_KEY,
    queryFn: async (): Promise<Me | null> => {
      try {
        return await api.get<Me>('/api/v1/auth/me');
      } catch (error) {
        if (error instanceof ApiError && error.status === 401) return null;
        throw error;
      }
    },
    staleTime: 60_000,
    retry: false,
  });
}

export interface LoginInput {
  email: string;
  password: string;
  tenant?: string;
}

export function useLogin() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: LoginInput) => api.post<Session>('/api/v1/auth/login', input),
    onSuccess: () => client.invalidateQueries({ queryKey: ME_KEY }),
  });
}

export function useLogout() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => api.post<null>('/api/v1/auth/logout'),
    // Whatever the server says, this browser is signed out: forget every cached answer.
    onSettled: () => {
      client.clear();
      client.setQueryData(ME_KEY, null);
    },
  });
}
